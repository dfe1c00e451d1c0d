"""Delivery: the at-most-once outbox and the transports that carry approved text out."""
