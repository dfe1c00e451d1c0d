<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
<context>
    <name>ApprovalDialog</name>
    <message>
        <source>Approve this reply</source>
        <translation>Aprobar esta respuesta</translation>
    </message>
    <message>
        <source>This exact text will be sent:</source>
        <translation>Se enviará exactamente este texto:</translation>
    </message>
    <message>
        <source>Text to be sent</source>
        <translation>Texto que se enviará</translation>
    </message>
    <message>
        <source>Subject: {subject}</source>
        <translation>Asunto: {subject}</translation>
    </message>
    <message>
        <source>SHA-256 {hash}</source>
        <translation>SHA-256 {hash}</translation>
    </message>
    <message>
        <source>Fix these before approving:
{lines}</source>
        <translation>Corrige esto antes de aprobar:
{lines}</translation>
    </message>
    <message>
        <source>This reply promises something. Tick each one you stand behind:</source>
        <translation>Esta respuesta promete algo. Marca cada promesa que respaldas:</translation>
    </message>
    <message>
        <source>Confirm: {quote}</source>
        <translation>Confirmar: {quote}</translation>
    </message>
    <message>
        <source>&amp;Approve</source>
        <translation>&amp;Aprobar</translation>
    </message>
    <message>
        <source>Approve and queue for sending</source>
        <translation>Aprobar y poner en cola de envío</translation>
    </message>
    <message>
        <source>Request &amp;changes…</source>
        <translation>Pedir ca&amp;mbios…</translation>
    </message>
    <message>
        <source>Send back to the writer with a reason</source>
        <translation>Devolver a quien lo escribió, con un motivo</translation>
    </message>
    <message>
        <source>Re&amp;ject…</source>
        <translation>R&amp;echazar…</translation>
    </message>
    <message>
        <source>Reject this draft with a reason</source>
        <translation>Rechazar este borrador con un motivo</translation>
    </message>
    <message>
        <source>Why? (shown to the writer and kept in the history)</source>
        <translation>¿Por qué? (lo verá quien lo escribió y queda en el historial)</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <source>A reason is needed to send it back or reject it</source>
        <translation>Hace falta un motivo para devolverlo o rechazarlo</translation>
    </message>
</context>
<context>
    <name>ConversationView</name>
    <message>
        <source>repeat issue</source>
        <translation>problema repetido</translation>
    </message>
    <message>
        <source>anger</source>
        <translation>enfado</translation>
    </message>
    <message>
        <source>legal threat</source>
        <translation>amenaza legal</translation>
    </message>
    <message>
        <source>churn risk</source>
        <translation>riesgo de baja</translation>
    </message>
    <message>
        <source>safety</source>
        <translation>seguridad</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Cliente</translation>
    </message>
    <message>
        <source>Escalation</source>
        <translation>Escalado</translation>
    </message>
    <message>
        <source>Incoming message</source>
        <translation>Mensaje recibido</translation>
    </message>
    <message>
        <source>History across channels</source>
        <translation>Historial de todos los canales</translation>
    </message>
    <message>
        <source>What the draft knows ▸</source>
        <translation>Lo que sabe el borrador ▸</translation>
    </message>
    <message>
        <source>Show what the draft knows</source>
        <translation>Mostrar lo que sabe el borrador</translation>
    </message>
    <message>
        <source>What the draft knows</source>
        <translation>Lo que sabe el borrador</translation>
    </message>
    <message>
        <source>What the draft knows ▾</source>
        <translation>Lo que sabe el borrador ▾</translation>
    </message>
    <message>
        <source>owner {owner}</source>
        <translation>responsable: {owner}</translation>
    </message>
    <message>
        <source>customer for {tenure}</source>
        <translation>cliente desde hace {tenure}</translation>
    </message>
    <message>
        <source>{count} other open items or notes</source>
        <translation>otros {count} elementos o notas abiertos</translation>
    </message>
    <message>
        <source>Escalated — needs a human: {reasons}</source>
        <translation>Escalado — necesita una persona: {reasons}</translation>
    </message>
    <message>
        <source>limit {limit} characters</source>
        <translation>límite de {limit} caracteres</translation>
    </message>
    <message>
        <source>recent: {line}</source>
        <translation>reciente: {line}</translation>
    </message>
    <message>
        <source>open: {line}</source>
        <translation>abierto: {line}</translation>
    </message>
    <message>
        <source>promise: {line}</source>
        <translation>promesa: {line}</translation>
    </message>
    <message>
        <source>similar reply: {text}</source>
        <translation>respuesta parecida: {text}</translation>
    </message>
    <message>
        <source>left out for length: {parts}</source>
        <translation>omitido por longitud: {parts}</translation>
    </message>
</context>
<context>
    <name>DraftEditor</name>
    <message>
        <source>block</source>
        <translation>bloquea</translation>
    </message>
    <message>
        <source>warn</source>
        <translation>aviso</translation>
    </message>
    <message>
        <source>info</source>
        <translation>info</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>Borrador</translation>
    </message>
    <message>
        <source>Press Ctrl+D to draft a reply, or start typing.</source>
        <translation>Pulsa Ctrl+D para redactar una respuesta, o empieza a escribir.</translation>
    </message>
    <message>
        <source>&amp;Draft</source>
        <translation>Re&amp;dactar</translation>
    </message>
    <message>
        <source>Draft a reply</source>
        <translation>Redactar una respuesta</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>&amp;Parar</translation>
    </message>
    <message>
        <source>Stop writing</source>
        <translation>Dejar de escribir</translation>
    </message>
    <message>
        <source>Rewrite</source>
        <translation>Reescribir</translation>
    </message>
    <message>
        <source>Rewrite the draft</source>
        <translation>Reescribir el borrador</translation>
    </message>
    <message>
        <source>Warmer</source>
        <translation>Más cálido</translation>
    </message>
    <message>
        <source>Shorter</source>
        <translation>Más corto</translation>
    </message>
    <message>
        <source>More formal</source>
        <translation>Más formal</translation>
    </message>
    <message>
        <source>Translate</source>
        <translation>Traducir</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>Observaciones</translation>
    </message>
    <message>
        <source>Empathy suggestions (Enter or double-click to insert)</source>
        <translation>Sugerencias de empatía (Intro o doble clic para insertar)</translation>
    </message>
    <message>
        <source>Enter or double-click inserts a suggestion; Ctrl+Z undoes it</source>
        <translation>Intro o doble clic inserta una sugerencia; Ctrl+Z la deshace</translation>
    </message>
    <message>
        <source>{chars} / {limit} characters · {words} words</source>
        <translation>{chars} / {limit} caracteres · {words} palabras</translation>
    </message>
    <message>
        <source>{chars} characters · {words} words</source>
        <translation>{chars} caracteres · {words} palabras</translation>
    </message>
    <message>
        <source>The checks could not run: {error}</source>
        <translation>No se pudieron hacer las comprobaciones: {error}</translation>
    </message>
    <message>
        <source>offline composer (no AI)</source>
        <translation>redactor sin conexión (sin IA)</translation>
    </message>
    <message>
        <source>stopped: partial text kept</source>
        <translation>detenido: se conserva el texto parcial</translation>
    </message>
    <message>
        <source>Could not write: {error}</source>
        <translation>No se pudo redactar: {error}</translation>
    </message>
    <message>
        <source>Not saved: {error}</source>
        <translation>No se guardó: {error}</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <source>AI draft</source>
        <translation>Borrador de IA</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Edición</translation>
    </message>
    <message>
        <source>AI rewrite</source>
        <translation>Reescritura de IA</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Restauración</translation>
    </message>
    <message>
        <source>Approver's edit</source>
        <translation>Edición de quien aprueba</translation>
    </message>
    <message>
        <source>AI ({source})</source>
        <translation>IA ({source})</translation>
    </message>
    <message>
        <source>AI</source>
        <translation>IA</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>Autor</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Cuándo</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Texto</translation>
    </message>
    <message>
        <source>Version {seq}, {kind}, by {author}, {when}</source>
        <translation>Versión {seq}, {kind}, de {author}, {when}</translation>
    </message>
</context>
<context>
    <name>InboxFilterBar</name>
    <message>
        <source>Search customers and messages (Ctrl+F)</source>
        <translation>Buscar clientes y mensajes (Ctrl+F)</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Buscar</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Canal</translation>
    </message>
    <message>
        <source>All channels</source>
        <translation>Todos los canales</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>Cualquier estado</translation>
    </message>
    <message>
        <source>&amp;Mine</source>
        <translation>&amp;Míos</translation>
    </message>
    <message>
        <source>Only items assigned to me</source>
        <translation>Solo los asignados a mí</translation>
    </message>
    <message>
        <source>&amp;Escalated</source>
        <translation>&amp;Escalados</translation>
    </message>
    <message>
        <source>Only escalated items</source>
        <translation>Solo los escalados</translation>
    </message>
</context>
<context>
    <name>InboxModel</name>
    <message>
        <source>email</source>
        <translation>correo</translation>
    </message>
    <message>
        <source>comment</source>
        <translation>comentario</translation>
    </message>
    <message>
        <source>dm</source>
        <translation>mensaje directo</translation>
    </message>
    <message>
        <source>call</source>
        <translation>llamada</translation>
    </message>
    <message>
        <source>ticket</source>
        <translation>ticket</translation>
    </message>
    <message>
        <source>chat</source>
        <translation>chat</translation>
    </message>
    <message>
        <source>note</source>
        <translation>nota</translation>
    </message>
    <message>
        <source>new</source>
        <translation>nuevo</translation>
    </message>
    <message>
        <source>drafting</source>
        <translation>en redacción</translation>
    </message>
    <message>
        <source>waiting approval</source>
        <translation>pendiente de aprobación</translation>
    </message>
    <message>
        <source>changes requested</source>
        <translation>cambios pedidos</translation>
    </message>
    <message>
        <source>approved</source>
        <translation>aprobado</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>enviado</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>cerrado</translation>
    </message>
    <message>
        <source>{n} mo</source>
        <translation>{n} mes.</translation>
    </message>
    <message>
        <source>{n} d</source>
        <translation>{n} d</translation>
    </message>
    <message>
        <source>{n} h</source>
        <translation>{n} h</translation>
    </message>
    <message>
        <source>{n} min</source>
        <translation>{n} min</translation>
    </message>
    <message>
        <source>now</source>
        <translation>ahora</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Cliente</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Canal</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>Antigüedad</translation>
    </message>
    <message>
        <source>Escalated — needs a human</source>
        <translation>Escalado — necesita una persona</translation>
    </message>
    <message>
        <source>Frustrated ({score:.0%})</source>
        <translation>Frustrado ({score:.0%})</translation>
    </message>
</context>
<context>
    <name>MailFetch</name>
    <message>
        <source>Fetching mail needs an incoming mail server: set imap.host and imap.user.</source>
        <translation>Para recibir correo hace falta un servidor de correo entrante: configura imap.host e imap.user.</translation>
    </message>
    <message>
        <source>No password for {user}: store it as the imap.password secret.</source>
        <translation>No hay contraseña para {user}: guárdala como el secreto imap.password.</translation>
    </message>
    <message>
        <source>{messages} new messages, {items} new items</source>
        <translation>{messages} mensajes nuevos, {items} elementos nuevos</translation>
    </message>
    <message>
        <source> ({skipped} could not be read)</source>
        <translation> ({skipped} no se pudieron leer)</translation>
    </message>
    <message>
        <source>Fetching mail failed: {error}</source>
        <translation>No se pudo recibir el correo: {error}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Inbox</source>
        <translation>Bandeja de entrada</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Respuesta</translation>
    </message>
    <message>
        <source>Opening the workspace…</source>
        <translation>Abriendo el espacio de trabajo…</translation>
    </message>
    <message>
        <source>Getting started</source>
        <translation>Primeros pasos</translation>
    </message>
    <message>
        <source>Flagged items at the top need a person. Pick a message, press Ctrl+D to draft a reply, make it sound like you, then Ctrl+Enter to approve. F1 lists every shortcut.</source>
        <translation>Los elementos marcados arriba necesitan a una persona. Elige un mensaje, pulsa Ctrl+D para redactar una respuesta, haz que suene a ti y luego Ctrl+Intro para aprobarla. F1 muestra todos los atajos.</translation>
    </message>
    <message>
        <source>Got it</source>
        <translation>Entendido</translation>
    </message>
    <message>
        <source>Hide the getting-started tips</source>
        <translation>Ocultar los consejos de primeros pasos</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualizar</translation>
    </message>
    <message>
        <source>&amp;Find</source>
        <translation>&amp;Buscar</translation>
    </message>
    <message>
        <source>Go to &amp;inbox</source>
        <translation>Ir a la bandeja de &amp;entrada</translation>
    </message>
    <message>
        <source>Go to &amp;reply</source>
        <translation>Ir a la &amp;respuesta</translation>
    </message>
    <message>
        <source>&amp;Approve…</source>
        <translation>&amp;Aprobar…</translation>
    </message>
    <message>
        <source>&amp;History…</source>
        <translation>&amp;Historial…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>A&amp;justes…</translation>
    </message>
    <message>
        <source>Fetch &amp;mail</source>
        <translation>Recibir &amp;correo</translation>
    </message>
    <message>
        <source>&amp;Outbox</source>
        <translation>&amp;Bandeja de salida</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Atajos de teclado</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Ay&amp;uda</translation>
    </message>
    <message>
        <source>&amp;Reply</source>
        <translation>&amp;Respuesta</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>&amp;Ir</translation>
    </message>
    <message>
        <source>{count}{more} items, {escalated} escalated — {user} — {db}</source>
        <translation>{count}{more} elementos, {escalated} escalados — {user} — {db}</translation>
    </message>
    <message>
        <source>nothing to approve yet: draft a reply first</source>
        <translation>aún no hay nada que aprobar: redacta primero una respuesta</translation>
    </message>
    <message>
        <source>changes requested</source>
        <translation>cambios pedidos</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>rechazado</translation>
    </message>
    <message>
        <source>Draft {draft}: {what} by {user}</source>
        <translation>Borrador {draft}: {what} por {user}</translation>
    </message>
    <message>
        <source>Approved by {user}: queued for sending (outbox {outbox})</source>
        <translation>Aprobado por {user}: en cola de envío (bandeja de salida {outbox})</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Atajos de teclado</translation>
    </message>
    <message>
        <source>no history yet: draft a reply first</source>
        <translation>aún no hay historial: redacta primero una respuesta</translation>
    </message>
    <message>
        <source>the workspace is still opening</source>
        <translation>el espacio de trabajo aún se está abriendo</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>Bandeja de salida</translation>
    </message>
    <message>
        <source>Fetching mail…</source>
        <translation>Recibiendo correo…</translation>
    </message>
    <message>
        <source>Problem: {error}</source>
        <translation>Problema: {error}</translation>
    </message>
</context>
<context>
    <name>OutboxPanel</name>
    <message>
        <source>Outbox</source>
        <translation>Bandeja de salida</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Customer / recipients</source>
        <translation>Cliente / destinatarios</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Canal</translation>
    </message>
    <message>
        <source>Transport</source>
        <translation>Transporte</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Intentos</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Último error</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Enviado</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>en cola</translation>
    </message>
    <message>
        <source>sending</source>
        <translation>enviando</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>enviado</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fallido</translation>
    </message>
    <message>
        <source>uncertain</source>
        <translation>incierto</translation>
    </message>
    <message>
        <source>Outbox messages</source>
        <translation>Mensajes de la bandeja de salida</translation>
    </message>
    <message>
        <source>Selected message</source>
        <translation>Mensaje seleccionado</translation>
    </message>
    <message>
        <source>Sending progress</source>
        <translation>Progreso del envío</translation>
    </message>
    <message>
        <source>Outbox status</source>
        <translation>Estado de la bandeja de salida</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualizar</translation>
    </message>
    <message>
        <source>Send now</source>
        <translation>Enviar ahora</translation>
    </message>
    <message>
        <source>Mark as sent…</source>
        <translation>Marcar como enviado…</translation>
    </message>
    <message>
        <source>Send again…</source>
        <translation>Enviar de nuevo…</translation>
    </message>
    <message>
        <source>Copy text</source>
        <translation>Copiar el texto</translation>
    </message>
    <message>
        <source>Open link</source>
        <translation>Abrir el enlace</translation>
    </message>
    <message>
        <source>Mark as posted…</source>
        <translation>Marcar como publicado…</translation>
    </message>
    <message>
        <source>To: {recipients}</source>
        <translation>Para: {recipients}</translation>
    </message>
    <message>
        <source>Subject: {subject}</source>
        <translation>Asunto: {subject}</translation>
    </message>
    <message>
        <source>Last error: {error}</source>
        <translation>Último error: {error}</translation>
    </message>
    <message>
        <source>Sending what is queued…</source>
        <translation>Enviando lo que está en cola…</translation>
    </message>
    <message>
        <source>Nothing was due to send.</source>
        <translation>No había nada pendiente de enviar.</translation>
    </message>
    <message>
        <source>{sent} sent, {retry} to retry, {failed} failed, {refused} refused, {uncertain} uncertain</source>
        <translation>{sent} enviados, {retry} por reintentar, {failed} fallidos, {refused} rechazados, {uncertain} inciertos</translation>
    </message>
    <message>
        <source>; {n} left uncertain by an interrupted send</source>
        <translation>; {n} quedaron inciertos por un envío interrumpido</translation>
    </message>
    <message>
        <source>Nothing to send with: set an outgoing mail server (smtp.host and smtp.from) or a webhook URL in Settings.</source>
        <translation>No hay con qué enviar: configura un servidor de correo saliente (smtp.host y smtp.from) o una URL de webhook en Ajustes.</translation>
    </message>
    <message>
        <source>Who is deciding? Set your user name (user.name) first.</source>
        <translation>¿Quién decide? Configura primero tu nombre de usuario (user.name).</translation>
    </message>
    <message>
        <source>Mark as sent</source>
        <translation>Marcar como enviado</translation>
    </message>
    <message>
        <source>Message {id} will be recorded as sent by {user} and never sent again: do this only if {recipients} received it.</source>
        <translation>El mensaje {id} quedará registrado como enviado por {user} y no se volverá a enviar: hazlo solo si {recipients} lo recibió.</translation>
    </message>
    <message>
        <source>Send again</source>
        <translation>Enviar de nuevo</translation>
    </message>
    <message>
        <source>Message {id} will be queued to go to {recipients} again, decided by {user}: if the first send arrived, they get it twice.</source>
        <translation>El mensaje {id} se pondrá de nuevo en cola para {recipients}, por decisión de {user}: si el primer envío llegó, lo recibirán dos veces.</translation>
    </message>
    <message>
        <source>Message {id} recorded as sent by {user}.</source>
        <translation>Mensaje {id} registrado como enviado por {user}.</translation>
    </message>
    <message>
        <source>Message {id} queued to send again, decided by {user}.</source>
        <translation>Mensaje {id} en cola para enviarse de nuevo, por decisión de {user}.</translation>
    </message>
    <message>
        <source>Mark as posted</source>
        <translation>Marcar como publicado</translation>
    </message>
    <message>
        <source>Message {id} will be recorded as posted by {user} and leave the outbox: do this only after you posted the reply.</source>
        <translation>El mensaje {id} quedará registrado como publicado por {user} y saldrá de la bandeja de salida: hazlo solo después de publicar la respuesta.</translation>
    </message>
    <message>
        <source>Message {id} recorded as posted by {user}.</source>
        <translation>Mensaje {id} registrado como publicado por {user}.</translation>
    </message>
    <message>
        <source>The approved text of message {id} is on the clipboard.</source>
        <translation>El texto aprobado del mensaje {id} está en el portapapeles.</translation>
    </message>
    <message>
        <source>Message {id} has no web link to open.</source>
        <translation>El mensaje {id} no tiene ningún enlace que abrir.</translation>
    </message>
    <message>
        <source>Could not open a browser for message {id}.</source>
        <translation>No se pudo abrir un navegador para el mensaje {id}.</translation>
    </message>
    <message>
        <source>Problem: {error}</source>
        <translation>Problema: {error}</translation>
    </message>
</context>
<context>
    <name>RevisionHistoryDialog</name>
    <message>
        <source>History of draft {draft}</source>
        <translation>Historial del borrador {draft}</translation>
    </message>
    <message>
        <source>Revision history</source>
        <translation>Historial de versiones</translation>
    </message>
    <message>
        <source>Revisions</source>
        <translation>Versiones</translation>
    </message>
    <message>
        <source>Newest first. Select one version to compare it with the one before; add a second with Ctrl+click, or move with Ctrl+arrows and press Ctrl+Space.</source>
        <translation>Las más recientes primero. Selecciona una versión para compararla con la anterior; añade una segunda con Ctrl+clic, o muévete con Ctrl+flechas y pulsa Ctrl+Espacio.</translation>
    </message>
    <message>
        <source>Versions compared</source>
        <translation>Versiones comparadas</translation>
    </message>
    <message>
        <source>Subject change</source>
        <translation>Cambio de asunto</translation>
    </message>
    <message>
        <source>Differences</source>
        <translation>Diferencias</translation>
    </message>
    <message>
        <source>Select a version to see what changed.</source>
        <translation>Selecciona una versión para ver qué cambió.</translation>
    </message>
    <message>
        <source>Summary of changes</source>
        <translation>Resumen de los cambios</translation>
    </message>
    <message>
        <source>&amp;Restore this version</source>
        <translation>&amp;Restaurar esta versión</translation>
    </message>
    <message>
        <source>Restore this version</source>
        <translation>Restaurar esta versión</translation>
    </message>
    <message>
        <source>Keeps the selected version's text as a new revision; no revision is removed.</source>
        <translation>Guarda el texto de la versión seleccionada como una versión nueva; no se elimina ninguna versión.</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Close the history</source>
        <translation>Cerrar el historial</translation>
    </message>
    <message>
        <source>Keep version {seq} as a new revision (Alt+R)</source>
        <translation>Guardar la versión {seq} como una versión nueva (Alt+R)</translation>
    </message>
    <message>
        <source>Could not load the history: {error}</source>
        <translation>No se pudo cargar el historial: {error}</translation>
    </message>
    <message>
        <source>Comparing…</source>
        <translation>Comparando…</translation>
    </message>
    <message>
        <source>Version {seq}, the first one</source>
        <translation>Versión {seq}, la primera</translation>
    </message>
    <message>
        <source>From version {old} to version {new}</source>
        <translation>De la versión {old} a la versión {new}</translation>
    </message>
    <message>
        <source>Subject: “{old}” → “{new}”</source>
        <translation>Asunto: «{old}» → «{new}»</translation>
    </message>
    <message>
        <source>{summary}. Added words are underlined on green; removed words are struck through on red.</source>
        <translation>{summary}. Las palabras añadidas aparecen subrayadas en verde; las eliminadas, tachadas en rojo.</translation>
    </message>
    <message>
        <source>1 word added</source>
        <translation>1 palabra añadida</translation>
    </message>
    <message>
        <source>{count} words added</source>
        <translation>{count} palabras añadidas</translation>
    </message>
    <message>
        <source>1 removed</source>
        <translation>1 eliminada</translation>
    </message>
    <message>
        <source>{count} removed</source>
        <translation>{count} eliminadas</translation>
    </message>
    <message>
        <source>{added}, {removed}</source>
        <translation>{added}, {removed}</translation>
    </message>
    <message>
        <source>Could not compare: {error}</source>
        <translation>No se pudo comparar: {error}</translation>
    </message>
    <message>
        <source>Select the version to restore first.</source>
        <translation>Primero selecciona la versión que quieres restaurar.</translation>
    </message>
    <message>
        <source>Version {seq} is already the current text: nothing to restore.</source>
        <translation>La versión {seq} ya es el texto actual: no hay nada que restaurar.</translation>
    </message>
    <message>
        <source>Restoring version {seq}…</source>
        <translation>Restaurando la versión {seq}…</translation>
    </message>
    <message>
        <source>That version is already the current text: nothing to restore.</source>
        <translation>Esa versión ya es el texto actual: no hay nada que restaurar.</translation>
    </message>
    <message>
        <source>Restored: the text is now a new revision on top.</source>
        <translation>Restaurada: el texto es ahora la versión más reciente.</translation>
    </message>
    <message>
        <source>Could not restore: {error}</source>
        <translation>No se pudo restaurar: {error}</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Ajustes</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problema</translation>
    </message>
    <message>
        <source>Settings sections</source>
        <translation>Secciones de los ajustes</translation>
    </message>
    <message>
        <source>&amp;AI</source>
        <translation>&amp;IA</translation>
    </message>
    <message>
        <source>&amp;Database</source>
        <translation>&amp;Base de datos</translation>
    </message>
    <message>
        <source>&amp;Profile</source>
        <translation>&amp;Perfil</translation>
    </message>
    <message>
        <source>Appeara&amp;nce</source>
        <translation>&amp;Apariencia</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Guardar</translation>
    </message>
    <message>
        <source>Save settings</source>
        <translation>Guardar los ajustes</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Cancelar</translation>
    </message>
    <message>
        <source>Discard changes</source>
        <translation>Descartar los cambios</translation>
    </message>
    <message>
        <source>AI endpoint base URL</source>
        <translation>URL base del servicio de IA</translation>
    </message>
    <message>
        <source>e.g. http://127.0.0.1:11434/v1 (empty: the offline composer)</source>
        <translation>p. ej. http://127.0.0.1:11434/v1 (vacío: el redactor sin conexión)</translation>
    </message>
    <message>
        <source>Base &amp;URL:</source>
        <translation>UR&amp;L base:</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <source>Fetching models</source>
        <translation>Obteniendo los modelos</translation>
    </message>
    <message>
        <source>&amp;Model:</source>
        <translation>&amp;Modelo:</translation>
    </message>
    <message>
        <source>Model list status</source>
        <translation>Estado de la lista de modelos</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>Probar co&amp;nexión</translation>
    </message>
    <message>
        <source>Test the connection to the AI endpoint</source>
        <translation>Probar la conexión con el servicio de IA</translation>
    </message>
    <message>
        <source>Connection test result</source>
        <translation>Resultado de la prueba de conexión</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>Clave de API</translation>
    </message>
    <message>
        <source>type a new key to replace the stored one</source>
        <translation>escribe una clave nueva para sustituir la guardada</translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation>Cla&amp;ve de API:</translation>
    </message>
    <message>
        <source>API key status</source>
        <translation>Estado de la clave de API</translation>
    </message>
    <message>
        <source>Checking the keyring…</source>
        <translation>Consultando el llavero…</translation>
    </message>
    <message>
        <source>Database in use</source>
        <translation>Base de datos en uso</translation>
    </message>
    <message>
        <source>not open yet</source>
        <translation>aún no está abierta</translation>
    </message>
    <message>
        <source>In use:</source>
        <translation>En uso:</translation>
    </message>
    <message>
        <source>Database location</source>
        <translation>Ubicación de la base de datos</translation>
    </message>
    <message>
        <source>postgresql://user@host/latido, or a SQLite file path</source>
        <translation>postgresql://usuario@servidor/latido, o la ruta de un archivo SQLite</translation>
    </message>
    <message>
        <source>T&amp;est database</source>
        <translation>Probar base de &amp;datos</translation>
    </message>
    <message>
        <source>Test the database connection</source>
        <translation>Probar la conexión con la base de datos</translation>
    </message>
    <message>
        <source>Database &amp;location:</source>
        <translation>&amp;Ubicación de la base de datos:</translation>
    </message>
    <message>
        <source>Database test result</source>
        <translation>Resultado de la prueba de la base de datos</translation>
    </message>
    <message>
        <source>Used the next time Latido starts. A password never goes into the settings file: PostgreSQL reads it from ~/.pgpass.</source>
        <translation>Se usará la próxima vez que se abra Latido. La contraseña nunca se guarda en el archivo de ajustes: PostgreSQL la lee de ~/.pgpass.</translation>
    </message>
    <message>
        <source>Latido opens the database given by --database-url or LATIDO_DATABASE_URL; here you can test a location before using it.</source>
        <translation>Latido abre la base de datos indicada con --database-url o LATIDO_DATABASE_URL; aquí puedes probar una ubicación antes de usarla.</translation>
    </message>
    <message>
        <source>LATIDO_DATABASE_URL is set, and it takes precedence.</source>
        <translation>LATIDO_DATABASE_URL está definida y tiene prioridad.</translation>
    </message>
    <message>
        <source>Who you are</source>
        <translation>Quién eres</translation>
    </message>
    <message>
        <source>The first agent (default)</source>
        <translation>El primer agente (predeterminado)</translation>
    </message>
    <message>
        <source>&amp;Who you are:</source>
        <translation>&amp;Quién eres:</translation>
    </message>
    <message>
        <source>Users status</source>
        <translation>Estado de los usuarios</translation>
    </message>
    <message>
        <source>Loading users…</source>
        <translation>Cargando los usuarios…</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>Firma</translation>
    </message>
    <message>
        <source>Si&amp;gnature:</source>
        <translation>Fi&amp;rma:</translation>
    </message>
    <message>
        <source>Interface language</source>
        <translation>Idioma de la interfaz</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>El del sistema</translation>
    </message>
    <message>
        <source>&amp;Interface language:</source>
        <translation>Idioma de la interfa&amp;z:</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Tema</translation>
    </message>
    <message>
        <source>System</source>
        <translation>Sistema</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Claro</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Oscuro</translation>
    </message>
    <message>
        <source>T&amp;heme:</source>
        <translation>&amp;Tema:</translation>
    </message>
    <message>
        <source>Language and theme take effect the next time Latido starts.</source>
        <translation>El idioma y el tema se aplican la próxima vez que se abra Latido.</translation>
    </message>
    <message>
        <source>No endpoint: drafts come from the offline composer.</source>
        <translation>Sin servicio: los borradores los escribe el redactor sin conexión.</translation>
    </message>
    <message>
        <source>Fetching the models at {url}…</source>
        <translation>Obteniendo los modelos de {url}…</translation>
    </message>
    <message>
        <source>{count} models available</source>
        <translation>{count} modelos disponibles</translation>
    </message>
    <message>
        <source>No endpoint to test: enter its base URL.</source>
        <translation>No hay servicio que probar: escribe su URL base.</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Probando…</translation>
    </message>
    <message>
        <source>No keyring available: the key is kept in memory for this session only</source>
        <translation>No hay llavero disponible: la clave se guarda en memoria solo durante esta sesión</translation>
    </message>
    <message>
        <source> (a key is kept for this session; it is never written to disk).</source>
        <translation> (hay una clave guardada para esta sesión; nunca se escribe en el disco).</translation>
    </message>
    <message>
        <source> (no key yet; it is never written to disk).</source>
        <translation> (aún no hay clave; nunca se escribe en el disco).</translation>
    </message>
    <message>
        <source>A key is stored in the keyring.</source>
        <translation>Hay una clave guardada en el llavero.</translation>
    </message>
    <message>
        <source>No key is stored.</source>
        <translation>No hay ninguna clave guardada.</translation>
    </message>
    <message>
        <source>The keyring could not be read: {error}</source>
        <translation>No se pudo leer el llavero: {error}</translation>
    </message>
    <message>
        <source>Enter a PostgreSQL URL or a SQLite file path to test.</source>
        <translation>Escribe una URL de PostgreSQL o la ruta de un archivo SQLite para probarla.</translation>
    </message>
    <message>
        <source>{name} ({role})</source>
        <translation>{name} ({role})</translation>
    </message>
    <message>
        <source>{name} (not in this database)</source>
        <translation>{name} (no está en esta base de datos)</translation>
    </message>
    <message>
        <source>{count} users in this database</source>
        <translation>{count} usuarios en esta base de datos</translation>
    </message>
    <message>
        <source>Users could not be loaded: {error}</source>
        <translation>No se pudieron cargar los usuarios: {error}</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>URL base</translation>
    </message>
    <message>
        <source>{label}: leave the password out; PostgreSQL reads it from ~/.pgpass</source>
        <translation>{label}: no incluyas la contraseña; PostgreSQL la lee de ~/.pgpass</translation>
    </message>
    <message>
        <source>The key was not stored, and nothing was saved: {error}</source>
        <translation>La clave no se guardó y no se guardó nada más: {error}</translation>
    </message>
    <message>
        <source>The settings could not be written: {error}</source>
        <translation>No se pudieron escribir los ajustes: {error}</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Cerrar</translation>
    </message>
    <message>
        <source>Close settings</source>
        <translation>Cerrar los ajustes</translation>
    </message>
</context>
</TS>
