"""Where draft text comes from: an OpenAI-compatible model, or the offline composer."""
