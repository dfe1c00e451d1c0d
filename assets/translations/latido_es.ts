<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
<context>
    <name>AddExampleDialog</name>
    <message>
        <source>Add an example reply</source>
        <translation>Añadir una respuesta de ejemplo</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Canal</translation>
    </message>
    <message>
        <source>Message answered</source>
        <translation>Mensaje respondido</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Respuesta</translation>
    </message>
    <message>
        <source>&amp;Channel:</source>
        <translation>&amp;Canal:</translation>
    </message>
    <message>
        <source>&amp;Message answered:</source>
        <translation>&amp;Mensaje respondido:</translation>
    </message>
    <message>
        <source>&amp;Reply:</source>
        <translation>&amp;Respuesta:</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Añadir</translation>
    </message>
    <message>
        <source>Add the example</source>
        <translation>Añadir el ejemplo</translation>
    </message>
</context>
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
        <source>a trainee wrote it</source>
        <translation>lo ha escrito una persona en formación</translation>
    </message>
    <message>
        <source>it makes a commitment</source>
        <translation>contiene un compromiso</translation>
    </message>
    <message>
        <source>the item is escalated</source>
        <translation>el caso está escalado</translation>
    </message>
    <message>
        <source>the AI draft was heavily rewritten</source>
        <translation>el borrador de la IA se ha reescrito a fondo</translation>
    </message>
    <message>
        <source>Team policy: a second approver is needed, one of the two a lead, because {reasons}.</source>
        <translation>Política del equipo: hace falta una segunda aprobación, y una de las dos debe ser de un responsable, porque {reasons}.</translation>
    </message>
    <message>
        <source>Team policy: {author} wrote this draft and may not approve it.</source>
        <translation>Política del equipo: {author} ha escrito este borrador y no puede aprobarlo.</translation>
    </message>
    <message>
        <source>Already approved by: {people}.</source>
        <translation>Ya lo ha aprobado: {people}.</translation>
    </message>
    <message>
        <source>Approval policy</source>
        <translation>Política de aprobación</translation>
    </message>
    <message>
        <source>A reason is needed to send it back or reject it</source>
        <translation>Hace falta un motivo para devolverlo o rechazarlo</translation>
    </message>
</context>
<context>
    <name>ApprovalHistoryWindow</name>
    <message>
        <source>Approval history</source>
        <translation>Historial de aprobaciones</translation>
    </message>
    <message>
        <source>Search the sent text</source>
        <translation>Buscar en el texto enviado</translation>
    </message>
    <message>
        <source>Search the sent text…</source>
        <translation>Buscar en el texto enviado…</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>Agente</translation>
    </message>
    <message>
        <source>Agent (user name)</source>
        <translation>Agente (nombre de usuario)</translation>
    </message>
    <message>
        <source>Approver</source>
        <translation>Quien aprueba</translation>
    </message>
    <message>
        <source>Approver (user name)</source>
        <translation>Quien aprueba (nombre de usuario)</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Cliente</translation>
    </message>
    <message>
        <source>Customer id or name</source>
        <translation>ID o nombre del cliente</translation>
    </message>
    <message>
        <source>Any</source>
        <translation>Cualquiera</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Canal</translation>
    </message>
    <message>
        <source>Any channel</source>
        <translation>Cualquier canal</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Sí</translation>
    </message>
    <message>
        <source>No</source>
        <translation>No</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>Escalado</translation>
    </message>
    <message>
        <source>Had commitments</source>
        <translation>Con compromisos</translation>
    </message>
    <message>
        <source>Finding overridden</source>
        <translation>Observación desestimada</translation>
    </message>
    <message>
        <source>Any finding</source>
        <translation>Cualquier observación</translation>
    </message>
    <message>
        <source>Sort</source>
        <translation>Orden</translation>
    </message>
    <message>
        <source>Newest first</source>
        <translation>Más recientes primero</translation>
    </message>
    <message>
        <source>Oldest first</source>
        <translation>Más antiguos primero</translation>
    </message>
    <message>
        <source>Most edited first</source>
        <translation>Más editados primero</translation>
    </message>
    <message>
        <source>Least edited first</source>
        <translation>Menos editados primero</translation>
    </message>
    <message>
        <source>Decided from</source>
        <translation>Decidido desde</translation>
    </message>
    <message>
        <source>&amp;From</source>
        <translation>&amp;Desde</translation>
    </message>
    <message>
        <source>Decided until</source>
        <translation>Decidido hasta</translation>
    </message>
    <message>
        <source>&amp;Until</source>
        <translation>&amp;Hasta</translation>
    </message>
    <message>
        <source>Edit % at least</source>
        <translation>% de edición mínimo</translation>
    </message>
    <message>
        <source>Edit % at most</source>
        <translation>% de edición máximo</translation>
    </message>
    <message>
        <source>&amp;Search:</source>
        <translation>&amp;Buscar:</translation>
    </message>
    <message>
        <source>A&amp;gent:</source>
        <translation>A&amp;gente:</translation>
    </message>
    <message>
        <source>A&amp;pprover:</source>
        <translation>Quien a&amp;prueba:</translation>
    </message>
    <message>
        <source>Cus&amp;tomer:</source>
        <translation>&amp;Cliente:</translation>
    </message>
    <message>
        <source>C&amp;hannel:</source>
        <translation>Ca&amp;nal:</translation>
    </message>
    <message>
        <source>&amp;Escalated:</source>
        <translation>&amp;Escalado:</translation>
    </message>
    <message>
        <source>Co&amp;mmitments:</source>
        <translation>Co&amp;mpromisos:</translation>
    </message>
    <message>
        <source>Fi&amp;nding:</source>
        <translation>Obser&amp;vación:</translation>
    </message>
    <message>
        <source>S&amp;ort:</source>
        <translation>&amp;Orden:</translation>
    </message>
    <message>
        <source>Edit % fro&amp;m:</source>
        <translation>Ed&amp;ición % desde:</translation>
    </message>
    <message>
        <source>Edit % to:</source>
        <translation>Edición % hasta:</translation>
    </message>
    <message>
        <source>Approved and rejected drafts</source>
        <translation>Borradores aprobados y rechazados</translation>
    </message>
    <message>
        <source>Rows found</source>
        <translation>Filas encontradas</translation>
    </message>
    <message>
        <source>Selected draft</source>
        <translation>Borrador seleccionado</translation>
    </message>
    <message>
        <source>AI draft compared with the sent text</source>
        <translation>Borrador de IA comparado con el texto enviado</translation>
    </message>
    <message>
        <source>Select a row to see its trail.</source>
        <translation>Selecciona una fila para ver su registro.</translation>
    </message>
    <message>
        <source>Revisions</source>
        <translation>Versiones</translation>
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
        <source>Hash</source>
        <translation>Hash</translation>
    </message>
    <message>
        <source>Approvals, findings, commitments and delivery</source>
        <translation>Aprobaciones, observaciones, compromisos y entrega</translation>
    </message>
    <message>
        <source>Context the AI used</source>
        <translation>Contexto que usó la IA</translation>
    </message>
    <message>
        <source>Show the context the AI used</source>
        <translation>Mostrar el contexto que usó la IA</translation>
    </message>
    <message>
        <source>Context snapshot</source>
        <translation>Instantánea del contexto</translation>
    </message>
    <message>
        <source>AI draft → sent text</source>
        <translation>Borrador de IA → texto enviado</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Exportar CSV…</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>Exportar CSV</translation>
    </message>
    <message>
        <source>Export JSON…</source>
        <translation>Exportar JSON…</translation>
    </message>
    <message>
        <source>Export JSON</source>
        <translation>Exportar JSON</translation>
    </message>
    <message>
        <source>Export PDF…</source>
        <translation>Exportar PDF…</translation>
    </message>
    <message>
        <source>Export the selected trail as PDF</source>
        <translation>Exportar a PDF el registro seleccionado</translation>
    </message>
    <message>
        <source>Audit</source>
        <translation>Auditar</translation>
    </message>
    <message>
        <source>Cancel export</source>
        <translation>Cancelar la exportación</translation>
    </message>
    <message>
        <source>Export progress</source>
        <translation>Progreso de la exportación</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Cargando…</translation>
    </message>
    <message>
        <source>{shown} shown</source>
        <translation>{shown} mostrados</translation>
    </message>
    <message>
        <source>{shown} shown of {total}</source>
        <translation>{shown} mostrados de {total}</translation>
    </message>
    <message>
        <source>Could not load the history: {error}</source>
        <translation>No se pudo cargar el historial: {error}</translation>
    </message>
    <message>
        <source>Could not load the trail: {error}</source>
        <translation>No se pudo cargar el registro: {error}</translation>
    </message>
    <message>
        <source>Approvals and reviews</source>
        <translation>Aprobaciones y revisiones</translation>
    </message>
    <message>
        <source>  {when} {who}: {decision} (revision {seq}) — {fast} after the first draft, {since} after the message arrived</source>
        <translation>  {when} {who}: {decision} (versión {seq}) — {fast} después del primer borrador, {since} después de la llegada del mensaje</translation>
    </message>
    <message>
        <source>    reason: {reason}</source>
        <translation>    motivo: {reason}</translation>
    </message>
    <message>
        <source>    hash: {hash}</source>
        <translation>    hash: {hash}</translation>
    </message>
    <message>
        <source>Findings overridden</source>
        <translation>Observaciones desestimadas</translation>
    </message>
    <message>
        <source>  none</source>
        <translation>  ninguno</translation>
    </message>
    <message>
        <source>Commitments acknowledged</source>
        <translation>Compromisos confirmados</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>Entrega</translation>
    </message>
    <message>
        <source>  {state} via {transport} to {to}; sent {sent}; attempts {n}</source>
        <translation>  {state} por {transport} a {to}; enviado {sent}; intentos: {n}</translation>
    </message>
    <message>
        <source>  Message-ID: {id}</source>
        <translation>  Message-ID: {id}</translation>
    </message>
    <message>
        <source>  last error: {error}</source>
        <translation>  último error: {error}</translation>
    </message>
    <message>
        <source>  nothing was queued</source>
        <translation>  no se puso nada en cola</translation>
    </message>
    <message>
        <source>Draft {draft} · {customer} ({cid}) · {channel} · by {author}</source>
        <translation>Borrador {draft} · {customer} ({cid}) · {channel} · de {author}</translation>
    </message>
    <message>
        <source>Composed draft → sent text</source>
        <translation>Borrador compuesto → texto enviado</translation>
    </message>
    <message>
        <source>First draft → sent text</source>
        <translation>Primer borrador → texto enviado</translation>
    </message>
    <message>
        <source>No context snapshot was kept.</source>
        <translation>No se guardó ninguna instantánea del contexto.</translation>
    </message>
    <message>
        <source>Export the history as CSV</source>
        <translation>Exportar el historial como CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Archivos CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export the history as JSON</source>
        <translation>Exportar el historial como JSON</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>Archivos JSON (*.json)</translation>
    </message>
    <message>
        <source>Export this trail as PDF</source>
        <translation>Exportar este registro como PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Archivos PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Exportando…</translation>
    </message>
    <message>
        <source>Exported {count} rows to {path}</source>
        <translation>Se exportaron {count} filas a {path}</translation>
    </message>
    <message>
        <source>Export cancelled; no file was written.</source>
        <translation>Exportación cancelada; no se escribió ningún archivo.</translation>
    </message>
    <message>
        <source>Could not export: {error}</source>
        <translation>No se pudo exportar: {error}</translation>
    </message>
    <message>
        <source>Approval trail of draft {draft}</source>
        <translation>Registro de aprobación del borrador {draft}</translation>
    </message>
    <message>
        <source>Customer: {customer} ({cid}) · channel {channel} · agent {author} · exported by {user}</source>
        <translation>Cliente: {customer} ({cid}) · canal {channel} · agente {author} · exportado por {user}</translation>
    </message>
    <message>
        <source>Message answered</source>
        <translation>Mensaje respondido</translation>
    </message>
    <message>
        <source>AI draft → sent text (removed struck through, added highlighted)</source>
        <translation>Borrador de IA → texto enviado (lo eliminado, tachado; lo añadido, resaltado)</translation>
    </message>
    <message>
        <source>Composed draft → sent text (removed struck through, added highlighted)</source>
        <translation>Borrador compuesto → texto enviado (lo eliminado, tachado; lo añadido, resaltado)</translation>
    </message>
    <message>
        <source>First draft → sent text (removed struck through, added highlighted)</source>
        <translation>Primer borrador → texto enviado (lo eliminado, tachado; lo añadido, resaltado)</translation>
    </message>
    <message>
        <source>AI draft</source>
        <translation>Borrador de IA</translation>
    </message>
    <message>
        <source>Composed draft</source>
        <translation>Borrador compuesto</translation>
    </message>
    <message>
        <source>First draft</source>
        <translation>Primer borrador</translation>
    </message>
    <message>
        <source>Sent text</source>
        <translation>Texto enviado</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Revisión</translation>
    </message>
    <message>
        <source>Saved the trail to {path}</source>
        <translation>Registro guardado en {path}</translation>
    </message>
    <message>
        <source>Verifying every chain…</source>
        <translation>Verificando todas las cadenas…</translation>
    </message>
    <message>
        <source>Audit: every chain verified ({counts}).</source>
        <translation>Auditoría: todas las cadenas verificadas ({counts}).</translation>
    </message>
    <message>
        <source>Audit FAILED: first broken link: {link}</source>
        <translation>Auditoría FALLIDA: primer eslabón roto: {link}</translation>
    </message>
    <message>
        <source>Could not run the audit: {error}</source>
        <translation>No se pudo hacer la auditoría: {error}</translation>
    </message>
</context>
<context>
    <name>BatchHistoryDialog</name>
    <message>
        <source>Outreach batches</source>
        <translation>Campañas de mensajes</translation>
    </message>
    <message>
        <source>Outreach batch history</source>
        <translation>Historial de campañas</translation>
    </message>
    <message>
        <source>Outreach batches, newest first (Enter opens the review queue)</source>
        <translation>Campañas de mensajes, las más recientes primero (Intro abre la cola de revisión)</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Campaña</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Creada</translation>
    </message>
    <message>
        <source>Brief by</source>
        <translation>Instrucciones de</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>Objetivo</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Mensajes</translation>
    </message>
    <message>
        <source>Approved as drafted</source>
        <translation>Aprobados tal cual</translation>
    </message>
    <message>
        <source>Edited</source>
        <translation>Editados</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Omitidos</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Rechazados</translation>
    </message>
    <message>
        <source>To review</source>
        <translation>Por revisar</translation>
    </message>
    <message>
        <source>&amp;Review…</source>
        <translation>&amp;Revisar…</translation>
    </message>
    <message>
        <source>Open the review queue of the selected batch</source>
        <translation>Abrir la cola de revisión de la campaña seleccionada</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Cargando…</translation>
    </message>
    <message>
        <source>{count} batches</source>
        <translation>{count} campañas</translation>
    </message>
    <message>
        <source>No batches yet</source>
        <translation>Aún no hay campañas</translation>
    </message>
    <message>
        <source>Problem: {error}</source>
        <translation>Problema: {error}</translation>
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
        <source>Recent contact</source>
        <translation>Contacto reciente</translation>
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
        <source>Recent contact: {channel}, {when} — {summary}</source>
        <translation>Contacto reciente: {channel}, {when} — {summary}</translation>
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
        <source>Findings (Enter selects the words, Ctrl+. applies the suggestion)</source>
        <translation>Observaciones (Intro selecciona las palabras, Ctrl+. aplica la sugerencia)</translation>
    </message>
    <message>
        <source>Apply the suggestion</source>
        <translation>Aplicar la sugerencia</translation>
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
        <source>Apply: replace “{old}” with “{new}”</source>
        <translation>Aplicar: sustituir «{old}» por «{new}»</translation>
    </message>
    <message>
        <source>Apply: remove “{old}”</source>
        <translation>Aplicar: quitar «{old}»</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Aplicar</translation>
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
        <source>written by {user}</source>
        <translation>escrito por {user}</translation>
    </message>
    <message>
        <source>Not saved: {error}</source>
        <translation>No se guardó: {error}</translation>
    </message>
</context>
<context>
    <name>DraftingProgress</name>
    <message>
        <source>Drafting progress</source>
        <translation>Progreso de la redacción</translation>
    </message>
    <message>
        <source>Drafting status</source>
        <translation>Estado de la redacción</translation>
    </message>
    <message>
        <source>Cancel drafting</source>
        <translation>Cancelar la redacción</translation>
    </message>
    <message>
        <source>Stop drafting; the drafts written so far are kept</source>
        <translation>Detener la redacción; se conservan los borradores escritos hasta ahora</translation>
    </message>
    <message>
        <source>Stopping: the drafts written so far are kept…</source>
        <translation>Deteniendo: se conservan los borradores escritos hasta ahora…</translation>
    </message>
    <message>
        <source>Drafting…</source>
        <translation>Redactando…</translation>
    </message>
    <message>
        <source>Drafted {done} of {total}</source>
        <translation>Redactados {done} de {total}</translation>
    </message>
    <message>
        <source>Cancelled after {done} of {total}: the drafts so far are kept; Resume drafts the rest.</source>
        <translation>Cancelado tras {done} de {total}: se conservan los borradores hechos; Reanudar redacta el resto.</translation>
    </message>
    <message>
        <source>Drafted {done} of {total}; {failed} could not be written: {reason}</source>
        <translation>Redactados {done} de {total}; {failed} no se pudieron escribir: {reason}</translation>
    </message>
    <message>
        <source>Could not draft: {error}</source>
        <translation>No se pudo redactar: {error}</translation>
    </message>
</context>
<context>
    <name>FeedbackNoteDialog</name>
    <message>
        <source>Add a note</source>
        <translation>Añadir una nota</translation>
    </message>
    <message>
        <source>Add a feedback note</source>
        <translation>Añadir una nota para los responsables</translation>
    </message>
    <message>
        <source>A note about item {item}, for the team leads.</source>
        <translation>Una nota sobre el elemento {item}, para los responsables del equipo.</translation>
    </message>
    <message>
        <source>A note for the team leads.</source>
        <translation>Una nota para los responsables del equipo.</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Nota</translation>
    </message>
    <message>
        <source>What are customers telling you? e.g. confused by the new pricing</source>
        <translation>¿Qué te cuentan los clientes? p. ej. los nuevos precios les confunden</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Etiquetas</translation>
    </message>
    <message>
        <source>Separate tags with commas; existing tags are offered as you type.</source>
        <translation>Separa las etiquetas con comas; al escribir se te sugieren las que ya existen.</translation>
    </message>
    <message>
        <source>pricing, shipping</source>
        <translation>precios, envíos</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Save the note</source>
        <translation>Guardar la nota</translation>
    </message>
    <message>
        <source>Save the note (Ctrl+Enter)</source>
        <translation>Guardar la nota (Ctrl+Intro)</translation>
    </message>
    <message>
        <source>&amp;Note:</source>
        <translation>&amp;Nota:</translation>
    </message>
    <message>
        <source>&amp;Tags:</source>
        <translation>&amp;Etiquetas:</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Guardando…</translation>
    </message>
    <message>
        <source>Not saved: {reason}</source>
        <translation>No se guardó: {reason}</translation>
    </message>
</context>
<context>
    <name>FeedbackWindow</name>
    <message>
        <source>Frontline feedback</source>
        <translation>Notas de primera línea</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>Etiqueta</translation>
    </message>
    <message>
        <source>All tags</source>
        <translation>Todas las etiquetas</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Periodo</translation>
    </message>
    <message>
        <source>Last {weeks} weeks</source>
        <translation>Últimas {weeks} semanas</translation>
    </message>
    <message>
        <source>&amp;Tag:</source>
        <translation>&amp;Etiqueta:</translation>
    </message>
    <message>
        <source>&amp;Period:</source>
        <translation>&amp;Periodo:</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualizar</translation>
    </message>
    <message>
        <source>Refresh the notes</source>
        <translation>Actualizar las notas</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notas</translation>
    </message>
    <message>
        <source>Selected note</source>
        <translation>Nota seleccionada</translation>
    </message>
    <message>
        <source>Notes per tag, by week</source>
        <translation>Notas por etiqueta y semana</translation>
    </message>
    <message>
        <source>Tags over time</source>
        <translation>Etiquetas a lo largo del tiempo</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Close the feedback window</source>
        <translation>Cerrar las notas de primera línea</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Cargando…</translation>
    </message>
    <message>
        <source> (scroll for more)</source>
        <translation> (desplázate para ver más)</translation>
    </message>
    <message>
        <source>{count} notes</source>
        <translation>{count} notas</translation>
    </message>
    <message>
        <source>Notes per tag in the period: {summary}</source>
        <translation>Notas por etiqueta en el periodo: {summary}</translation>
    </message>
    <message>
        <source>none</source>
        <translation>ninguna</translation>
    </message>
    <message>
        <source>Could not load the notes: {error}</source>
        <translation>No se pudieron cargar las notas: {error}</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <source>Composed draft</source>
        <translation>Borrador compuesto</translation>
    </message>
    <message>
        <source>Composed rewrite</source>
        <translation>Reescritura compuesta</translation>
    </message>
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
        <source>Approver&apos;s edit</source>
        <translation>Edición de quien aprueba</translation>
    </message>
    <message>
        <source>offline composer (no AI)</source>
        <translation>redactor sin conexión (sin IA)</translation>
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
    <name>HistoryTableModel</name>
    <message>
        <source>Decided</source>
        <translation>Decidido</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>Decisión</translation>
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
        <source>Agent</source>
        <translation>Agente</translation>
    </message>
    <message>
        <source>Approver</source>
        <translation>Quien aprueba</translation>
    </message>
    <message>
        <source>Edit %</source>
        <translation>% edición</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>Escalado</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>Entrega</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>Aprobado</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Rechazado</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>sí</translation>
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
    <message>
        <source>Sort</source>
        <translation>Orden</translation>
    </message>
    <message>
        <source>Newest first</source>
        <translation>Más recientes primero</translation>
    </message>
    <message>
        <source>Waiting longest first</source>
        <translation>Los que más esperan primero</translation>
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
        <translation>por aprobar</translation>
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
        <source>Frustrated ({score}%)</source>
        <translation>Frustrado ({score} %)</translation>
    </message>
</context>
<context>
    <name>InboxTable</name>
    <message>
        <source>Inbox</source>
        <translation>Bandeja de entrada</translation>
    </message>
</context>
<context>
    <name>InsightsWindow</name>
    <message>
        <source>Insights</source>
        <translation>Estadísticas</translation>
    </message>
    <message>
        <source>From date</source>
        <translation>Fecha inicial</translation>
    </message>
    <message>
        <source>To date</source>
        <translation>Fecha final</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>Agente</translation>
    </message>
    <message>
        <source>All agents</source>
        <translation>Todos los agentes</translation>
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
        <source>&amp;Refresh</source>
        <translation>&amp;Actualizar</translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation>Exportar C&amp;SV…</translation>
    </message>
    <message>
        <source>Export &amp;image (PNG)…</source>
        <translation>Exportar i&amp;magen (PNG)…</translation>
    </message>
    <message>
        <source>Export &amp;PDF…</source>
        <translation>Exportar &amp;PDF…</translation>
    </message>
    <message>
        <source>&amp;Measure older approvals</source>
        <translation>Medir apro&amp;baciones anteriores</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Cerrar</translation>
    </message>
    <message>
        <source>&amp;Insights</source>
        <translation>&amp;Estadísticas</translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation>&amp;Desde:</translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation>&amp;Hasta:</translation>
    </message>
    <message>
        <source>&amp;Agent:</source>
        <translation>A&amp;gente:</translation>
    </message>
    <message>
        <source>C&amp;hannel:</source>
        <translation>Ca&amp;nal:</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Resumen</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Approvals per day</source>
        <translation>Aprobaciones por día</translation>
    </message>
    <message>
        <source>Edit intensity (how much of each AI draft was changed)</source>
        <translation>Intensidad de edición (cuánto se cambió de cada borrador de IA)</translation>
    </message>
    <message>
        <source>AI acceptance per agent (approved with less than 10% edited)</source>
        <translation>Aceptación de la IA por agente (aprobados con menos del 10 % editado)</translation>
    </message>
    <message>
        <source>AI acceptance per channel</source>
        <translation>Aceptación de la IA por canal</translation>
    </message>
    <message>
        <source>Top findings: fixed before approval or approved over</source>
        <translation>Observaciones más frecuentes: corregidas antes de aprobar o desestimadas</translation>
    </message>
    <message>
        <source>Top overrides: who approved over which finding</source>
        <translation>Más desestimadas: quién aprobó pese a qué observación</translation>
    </message>
    <message>
        <source>Escalations: time to first approval</source>
        <translation>Escalados: tiempo hasta la primera aprobación</translation>
    </message>
    <message>
        <source>Empathy added by people</source>
        <translation>Empatía añadida por personas</translation>
    </message>
    <message>
        <source>Typing speed, words per minute</source>
        <translation>Velocidad de escritura, palabras por minuto</translation>
    </message>
    <message>
        <source>Reading speed, words per minute</source>
        <translation>Velocidad de lectura, palabras por minuto</translation>
    </message>
    <message>
        <source>AI value</source>
        <translation>Valor de la IA</translation>
    </message>
    <message>
        <source>AI value: drafting time saved (an estimate)</source>
        <translation>Valor de la IA: tiempo de redacción ahorrado (estimación)</translation>
    </message>
    <message>
        <source>T&amp;yping speed (words/min):</source>
        <translation>Velocidad de escri&amp;tura (palabras/min):</translation>
    </message>
    <message>
        <source>R&amp;eading speed (words/min):</source>
        <translation>Velocidad de &amp;lectura (palabras/min):</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>Gráficos</translation>
    </message>
    <message>
        <source>The “From” date is after the “To” date: pick a range that runs forwards.</source>
        <translation>La fecha «Desde» es posterior a la fecha «Hasta»: elige un intervalo que avance en el tiempo.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Cargando…</translation>
    </message>
    <message>
        <source>Could not load the insights: {error}</source>
        <translation>No se pudieron cargar las estadísticas: {error}</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>n/d</translation>
    </message>
    <message>
        <source>{n} min</source>
        <translation>{n} min</translation>
    </message>
    <message>
        <source>{n} h</source>
        <translation>{n} h</translation>
    </message>
    <message>
        <source>{n} days</source>
        <translation>{n} días</translation>
    </message>
    <message>
        <source>{n}%</source>
        <translation>{n} %</translation>
    </message>
    <message>
        <source>{approvals} approvals · median time to approve {median} · AI acceptance {acceptance} · {escalations} escalations, median handling {handling}</source>
        <translation>{approvals} aprobaciones · mediana hasta aprobar {median} · aceptación de la IA {acceptance} · {escalations} escalados, mediana de gestión {handling}</translation>
    </message>
    <message>
        <source>{n} approvals in this range were given before edit metrics were kept; edit figures leave them out until they are measured.</source>
        <translation>{n} aprobaciones de este intervalo son anteriores a las métricas de edición; las cifras de edición no las incluyen hasta que se midan.</translation>
    </message>
    <message>
        <source>Approvals</source>
        <translation>Aprobaciones</translation>
    </message>
    <message>
        <source>% of the draft changed (bands of 10)</source>
        <translation>% del borrador cambiado (tramos de 10)</translation>
    </message>
    <message>
        <source>(no author)</source>
        <translation>(sin autor)</translation>
    </message>
    <message>
        <source>Accepted, %</source>
        <translation>Aceptados, %</translation>
    </message>
    <message>
        <source>Overrides</source>
        <translation>Desestimadas</translation>
    </message>
    <message>
        <source>0–1 h</source>
        <translation>0–1 h</translation>
    </message>
    <message>
        <source>1–4 h</source>
        <translation>1–4 h</translation>
    </message>
    <message>
        <source>4–24 h</source>
        <translation>4–24 h</translation>
    </message>
    <message>
        <source>1–3 d</source>
        <translation>1–3 d</translation>
    </message>
    <message>
        <source>3+ d</source>
        <translation>3+ d</translation>
    </message>
    <message>
        <source>Escalated items</source>
        <translation>Elementos escalados</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>en espera</translation>
    </message>
    <message>
        <source>acknowledgement</source>
        <translation>reconocimiento</translation>
    </message>
    <message>
        <source>apology</source>
        <translation>disculpa</translation>
    </message>
    <message>
        <source>name</source>
        <translation>nombre</translation>
    </message>
    <message>
        <source>personal reference</source>
        <translation>referencia personal</translation>
    </message>
    <message>
        <source>Empathy added by people: {share} of measured approvals</source>
        <translation>Empatía añadida por personas: {share} de las aprobaciones medidas</translation>
    </message>
    <message>
        <source>No data in this range.</source>
        <translation>No hay datos en este intervalo.</translation>
    </message>
    <message>
        <source>none</source>
        <translation>sin datos</translation>
    </message>
    <message>
        <source>Fixed before approval</source>
        <translation>Corregidas antes de aprobar</translation>
    </message>
    <message>
        <source>Approved over</source>
        <translation>Desestimadas al aprobar</translation>
    </message>
    <message>
        <source>Estimated drafting time saved: {saved} min over {n} approved drafts ({each} per draft).</source>
        <translation>Tiempo de redacción ahorrado estimado: {saved} min en {n} borradores aprobados ({each} por borrador).</translation>
    </message>
    <message>
        <source>{m} min</source>
        <translation>{m} min</translation>
    </message>
    <message>
        <source>Writing them from scratch: {a} min. Reading and editing the AI drafts: {b} min.</source>
        <translation>Escribirlos desde cero: {a} min. Leer y editar los borradores de IA: {b} min.</translation>
    </message>
    <message>
        <source>Assumptions:</source>
        <translation>Supuestos:</translation>
    </message>
    <message>
        <source>• typing speed {wpm:g} words per minute; reading speed {rpm:g} words per minute;</source>
        <translation>• velocidad de escritura: {wpm:g} palabras por minuto; velocidad de lectura: {rpm:g} palabras por minuto;</translation>
    </message>
    <message>
        <source>• from scratch = typing every word that was sent;</source>
        <translation>• desde cero = teclear cada palabra enviada;</translation>
    </message>
    <message>
        <source>• with AI = reading the AI draft once, then typing each changed word (edit % of the longer text);</source>
        <translation>• con IA = leer una vez el borrador de IA y luego teclear cada palabra cambiada (% de edición del texto más largo);</translation>
    </message>
    <message>
        <source>• thinking time is the same either way and left out of both;</source>
        <translation>• el tiempo para pensar es el mismo en ambos casos y no se cuenta en ninguno;</translation>
    </message>
    <message>
        <source>• only approved drafts with edit metrics count ({n} without metrics are left out); drafts never approved are not counted, so the time spent on them is not subtracted.</source>
        <translation>• solo cuentan los borradores aprobados con métricas de edición (se excluyen {n} sin métricas); los borradores que nunca se aprobaron no se cuentan, así que el tiempo dedicado a ellos no se resta.</translation>
    </message>
    <message>
        <source>A negative figure means editing the AI drafts took longer than writing would have.</source>
        <translation>Una cifra negativa significa que editar los borradores de IA llevó más tiempo del que habría llevado escribirlos.</translation>
    </message>
    <message>
        <source>Every approval in this range is measured.</source>
        <translation>Todas las aprobaciones de este intervalo están medidas.</translation>
    </message>
    <message>
        <source>Measuring older approvals…</source>
        <translation>Midiendo las aprobaciones anteriores…</translation>
    </message>
    <message>
        <source>Measured {n} older approvals.</source>
        <translation>Se midieron {n} aprobaciones anteriores.</translation>
    </message>
    <message>
        <source>Nothing to export yet: the figures are still loading.</source>
        <translation>Aún no hay nada que exportar: las cifras se están cargando.</translation>
    </message>
    <message>
        <source>Export insights as CSV</source>
        <translation>Exportar las estadísticas como CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Archivos CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export charts as an image</source>
        <translation>Exportar los gráficos como imagen</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>Imágenes PNG (*.png)</translation>
    </message>
    <message>
        <source>Export insights as PDF</source>
        <translation>Exportar las estadísticas como PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Archivos PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Could not write {path}: {reason}</source>
        <translation>No se pudo escribir {path}: {reason}</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>Se guardó {path}</translation>
    </message>
    <message>
        <source>the image could not be saved there</source>
        <translation>no se pudo guardar la imagen ahí</translation>
    </message>
    <message>
        <source>the folder does not exist</source>
        <translation>la carpeta no existe</translation>
    </message>
    <message>
        <source>Latido insights</source>
        <translation>Estadísticas de Latido</translation>
    </message>
    <message>
        <source>the PDF could not be written there</source>
        <translation>no se pudo escribir el PDF ahí</translation>
    </message>
    <message>
        <source>Latido insights, {start} to {end}</source>
        <translation>Estadísticas de Latido, del {start} al {end}</translation>
    </message>
    <message>
        <source>Agent: {agent} · Channel: {channel}</source>
        <translation>Agente: {agent} · Canal: {channel}</translation>
    </message>
    <message>
        <source>all</source>
        <translation>todos</translation>
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
        <source>&amp;Next item</source>
        <translation>Elemento &amp;siguiente</translation>
    </message>
    <message>
        <source>&amp;Previous item</source>
        <translation>Elemento &amp;anterior</translation>
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
        <source>Approved by {user}; not queued yet: it needs {what}</source>
        <translation>Aprobado por {user}; aún no está en cola: falta {what}</translation>
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
    <name>NewMessageDialog</name>
    <message>
        <source>New message</source>
        <translation>Nuevo mensaje</translation>
    </message>
    <message>
        <source>New message to a customer</source>
        <translation>Nuevo mensaje a un cliente</translation>
    </message>
    <message>
        <source>Loading the customer…</source>
        <translation>Cargando el cliente…</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Cliente</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>Objetivo</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Canal</translation>
    </message>
    <message>
        <source>Your notes for the message</source>
        <translation>Tus notas para el mensaje</translation>
    </message>
    <message>
        <source>What should it say? e.g. “thank her for the call; the new grinder ships Monday”</source>
        <translation>¿Qué debe decir? p. ej. «agradécele la llamada; el nuevo molinillo sale el lunes»</translation>
    </message>
    <message>
        <source>&amp;Purpose:</source>
        <translation>&amp;Objetivo:</translation>
    </message>
    <message>
        <source>C&amp;hannel:</source>
        <translation>&amp;Canal:</translation>
    </message>
    <message>
        <source>&amp;Notes:</source>
        <translation>&amp;Notas:</translation>
    </message>
    <message>
        <source>&amp;Draft</source>
        <translation>Re&amp;dactar</translation>
    </message>
    <message>
        <source>Draft the message</source>
        <translation>Redactar el mensaje</translation>
    </message>
    <message>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Intro</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Reanudar</translation>
    </message>
    <message>
        <source>Finish drafting the message</source>
        <translation>Terminar de redactar el mensaje</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nunca</translation>
    </message>
    <message>
        <source>Language: {language} · Plan: {plan}</source>
        <translation>Idioma: {language} · Plan: {plan}</translation>
    </message>
    <message>
        <source>Last contact: {when} · Open items: {count}</source>
        <translation>Último contacto: {when} · Elementos abiertos: {count}</translation>
    </message>
    <message>
        <source>New message to {name}</source>
        <translation>Nuevo mensaje a {name}</translation>
    </message>
    <message>
        <source>Problem: {error}</source>
        <translation>Problema: {error}</translation>
    </message>
</context>
<context>
    <name>NotesModel</name>
    <message>
        <source>When</source>
        <translation>Cuándo</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>Autor</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Etiquetas</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Cliente</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Nota</translation>
    </message>
    <message>
        <source>{author}, {when}, tags {tags}: {note}</source>
        <translation>{author}, {when}, etiquetas {tags}: {note}</translation>
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
    <name>Outreach</name>
    <message>
        <source>Follow-up after a call</source>
        <translation>Seguimiento tras una llamada</translation>
    </message>
    <message>
        <source>Renewal</source>
        <translation>Renovación</translation>
    </message>
    <message>
        <source>Check-in</source>
        <translation>Contacto periódico</translation>
    </message>
    <message>
        <source>Apology</source>
        <translation>Disculpa</translation>
    </message>
    <message>
        <source>Announcement</source>
        <translation>Anuncio</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>Correo</translation>
    </message>
    <message>
        <source>Direct message</source>
        <translation>Mensaje directo</translation>
    </message>
</context>
<context>
    <name>OutreachBatchDialog</name>
    <message>
        <source>New outreach batch</source>
        <translation>Nueva campaña de mensajes</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Plan</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Responsable</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>Etiqueta</translation>
    </message>
    <message>
        <source>Last contact &amp;after</source>
        <translation>Último contacto &amp;posterior al</translation>
    </message>
    <message>
        <source>Last contact after</source>
        <translation>Último contacto posterior al</translation>
    </message>
    <message>
        <source>Last contact &amp;before</source>
        <translation>Último contacto &amp;anterior al</translation>
    </message>
    <message>
        <source>Last contact before</source>
        <translation>Último contacto anterior al</translation>
    </message>
    <message>
        <source>Has an open issue</source>
        <translation>Tiene una incidencia abierta</translation>
    </message>
    <message>
        <source>Any</source>
        <translation>Cualquiera</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Sí</translation>
    </message>
    <message>
        <source>No</source>
        <translation>No</translation>
    </message>
    <message>
        <source>Filter expression</source>
        <translation>Expresión de filtro</translation>
    </message>
    <message>
        <source>e.g. plan=Pro language=es last_contact&lt;2026-10-01 open_issue=yes</source>
        <translation>p. ej. plan=Pro language=es last_contact&lt;2026-10-01 open_issue=yes</translation>
    </message>
    <message>
        <source>Filter problem</source>
        <translation>Problema con el filtro</translation>
    </message>
    <message>
        <source>&amp;Plan:</source>
        <translation>P&amp;lan:</translation>
    </message>
    <message>
        <source>&amp;Owner:</source>
        <translation>&amp;Responsable:</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Idioma:</translation>
    </message>
    <message>
        <source>&amp;Tag:</source>
        <translation>&amp;Etiqueta:</translation>
    </message>
    <message>
        <source>Open &amp;issue:</source>
        <translation>Incidencia a&amp;bierta:</translation>
    </message>
    <message>
        <source>E&amp;xpression:</source>
        <translation>E&amp;xpresión:</translation>
    </message>
    <message>
        <source>Matching customers (Space ticks or unticks one)</source>
        <translation>Clientes que coinciden (Espacio marca o desmarca uno)</translation>
    </message>
    <message>
        <source>How many customers are picked</source>
        <translation>Cuántos clientes hay elegidos</translation>
    </message>
    <message>
        <source>Tic&amp;k all</source>
        <translation>Marcar &amp;todos</translation>
    </message>
    <message>
        <source>Pick every matching customer</source>
        <translation>Elegir todos los clientes que coinciden</translation>
    </message>
    <message>
        <source>Untick all</source>
        <translation>Desmarcar todos</translation>
    </message>
    <message>
        <source>Pick no customer (then tick some by hand)</source>
        <translation>No elegir ningún cliente (y luego marcar algunos a mano)</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Quién</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>Objetivo</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Canal</translation>
    </message>
    <message>
        <source>Brief</source>
        <translation>Instrucciones</translation>
    </message>
    <message>
        <source>e.g. tell them about the new pricing; mention what they use most; no discounts</source>
        <translation>p. ej. cuéntales los nuevos precios; menciona lo que más usan; sin descuentos</translation>
    </message>
    <message>
        <source>Messages sent per hour at most (0: no limit)</source>
        <translation>Máximo de mensajes enviados por hora (0: sin límite)</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>sin límite</translation>
    </message>
    <message>
        <source> per hour</source>
        <translation> por hora</translation>
    </message>
    <message>
        <source>&amp;Send no earlier than</source>
        <translation>&amp;No enviar antes del</translation>
    </message>
    <message>
        <source>Send no earlier than</source>
        <translation>No enviar antes del</translation>
    </message>
    <message>
        <source>Earliest hour in the customer&apos;s time zone</source>
        <translation>Hora más temprana en la zona horaria del cliente</translation>
    </message>
    <message>
        <source>Latest hour in the customer&apos;s time zone</source>
        <translation>Hora más tardía en la zona horaria del cliente</translation>
    </message>
    <message>
        <source>to</source>
        <translation>a</translation>
    </message>
    <message>
        <source>h (customer&apos;s local time)</source>
        <translation>h (hora local del cliente)</translation>
    </message>
    <message>
        <source>What and when</source>
        <translation>Qué y cuándo</translation>
    </message>
    <message>
        <source>P&amp;urpose:</source>
        <translation>&amp;Objetivo:</translation>
    </message>
    <message>
        <source>C&amp;hannel:</source>
        <translation>&amp;Canal:</translation>
    </message>
    <message>
        <source>Brie&amp;f:</source>
        <translation>In&amp;strucciones:</translation>
    </message>
    <message>
        <source>&amp;Rate:</source>
        <translation>Ritmo &amp;máximo:</translation>
    </message>
    <message>
        <source>Local &amp;window:</source>
        <translation>&amp;Franja horaria local:</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problema</translation>
    </message>
    <message>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Intro</translation>
    </message>
    <message>
        <source>R&amp;esume</source>
        <translation>Rean&amp;udar</translation>
    </message>
    <message>
        <source>Draft the messages a cancel left undrafted</source>
        <translation>Redactar los mensajes que quedaron sin redactar al cancelar</translation>
    </message>
    <message>
        <source>Re&amp;view drafted</source>
        <translation>Re&amp;visar lo redactado</translation>
    </message>
    <message>
        <source>Review the messages drafted so far</source>
        <translation>Revisar los mensajes redactados hasta ahora</translation>
    </message>
    <message>
        <source>Looking for customers…</source>
        <translation>Buscando clientes…</translation>
    </message>
    <message>
        <source>open issue</source>
        <translation>incidencia abierta</translation>
    </message>
    <message>
        <source>{chosen} of {shown} customers picked</source>
        <translation>{chosen} de {shown} clientes elegidos</translation>
    </message>
    <message>
        <source>&amp;Draft {count} messages</source>
        <translation>Re&amp;dactar {count} mensajes</translation>
    </message>
    <message>
        <source>Draft one message for each of {count} customers</source>
        <translation>Redactar un mensaje para cada uno de los {count} clientes</translation>
    </message>
    <message>
        <source>The local window must start before it ends.</source>
        <translation>La franja horaria local debe empezar antes de terminar.</translation>
    </message>
</context>
<context>
    <name>PolicyDialog</name>
    <message>
        <source>Approval policy</source>
        <translation>Política de aprobación</translation>
    </message>
    <message>
        <source>When does a reply need a second approver? The second approver must be a different person, and one of the two must be a lead. These rules apply everywhere: here, on the command line and just before sending.</source>
        <translation>¿Cuándo necesita una respuesta una segunda aprobación? La segunda aprobación debe ser de otra persona, y una de las dos debe ser responsable. Estas reglas se aplican en todas partes: aquí, en la línea de comandos y justo antes de enviar.</translation>
    </message>
    <message>
        <source>Drafts written by a &amp;trainee</source>
        <translation>Borradores escritos por alguien en &amp;formación</translation>
    </message>
    <message>
        <source>Drafts that make a &amp;commitment (refunds, dates, prices…)</source>
        <translation>Borradores que asumen un &amp;compromiso (reembolsos, fechas, precios…)</translation>
    </message>
    <message>
        <source>Drafts for &amp;escalated items</source>
        <translation>Borradores de elementos &amp;escalados</translation>
    </message>
    <message>
        <source>off</source>
        <translation>desactivado</translation>
    </message>
    <message>
        <source>The writer of a draft may &amp;approve it</source>
        <translation>Quien escribe un borrador puede &amp;aprobarlo</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nunca</translation>
    </message>
    <message>
        <source> days</source>
        <translation> días</translation>
    </message>
    <message>
        <source>Trainee drafts need a lead</source>
        <translation>Los borradores de personas en formación necesitan a un responsable</translation>
    </message>
    <message>
        <source>Commitments need a lead</source>
        <translation>Los compromisos necesitan a un responsable</translation>
    </message>
    <message>
        <source>Escalated items need a lead</source>
        <translation>Los elementos escalados necesitan a un responsable</translation>
    </message>
    <message>
        <source>Edited more than</source>
        <translation>Editados en más de</translation>
    </message>
    <message>
        <source>Self-approval allowed</source>
        <translation>Se permite aprobar lo propio</translation>
    </message>
    <message>
        <source>Approvals expire after</source>
        <translation>Las aprobaciones caducan tras</translation>
    </message>
    <message>
        <source>A lead must approve too:</source>
        <translation>También debe aprobar un responsable:</translation>
    </message>
    <message>
        <source>Drafts &amp;edited more than:</source>
        <translation>Borradores edi&amp;tados en más de:</translation>
    </message>
    <message>
        <source>Approvals e&amp;xpire if not sent after:</source>
        <translation>Las aprobaciones ca&amp;ducan si no se envían en:</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Cargando…</translation>
    </message>
    <message>
        <source>Policy status</source>
        <translation>Estado de la política</translation>
    </message>
    <message>
        <source>Save the policy</source>
        <translation>Guardar la política</translation>
    </message>
    <message>
        <source>Only a lead can change these rules; you can read them here.</source>
        <translation>Solo un responsable puede cambiar estas reglas; aquí puedes consultarlas.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Guardando…</translation>
    </message>
    <message>
        <source>Saved. The new rules apply to every approval from now on.</source>
        <translation>Guardado. Las nuevas reglas se aplican a todas las aprobaciones a partir de ahora.</translation>
    </message>
</context>
<context>
    <name>Promotion</name>
    <message>
        <source>The reply is now a {language} voice example ({channel}).</source>
        <translation>La respuesta es ahora un ejemplo de voz ({language}, {channel}).</translation>
    </message>
    <message>
        <source>Not added as a voice example: {reason}</source>
        <translation>No se añadió como ejemplo de voz: {reason}</translation>
    </message>
    <message>
        <source>Use as voice example</source>
        <translation>Usar como ejemplo de voz</translation>
    </message>
</context>
<context>
    <name>RejectDialog</name>
    <message>
        <source>Reject this message</source>
        <translation>Rechazar este mensaje</translation>
    </message>
    <message>
        <source>Why is the message to {customer} rejected?</source>
        <translation>¿Por qué se rechaza el mensaje a {customer}?</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <source>Why? (kept in the history)</source>
        <translation>¿Por qué? (queda en el historial)</translation>
    </message>
    <message>
        <source>Re&amp;ject</source>
        <translation>&amp;Rechazar</translation>
    </message>
    <message>
        <source>Reject the message with this reason</source>
        <translation>Rechazar el mensaje con este motivo</translation>
    </message>
</context>
<context>
    <name>ReviewQueue</name>
    <message>
        <source>Review outreach batch {batch}</source>
        <translation>Revisar la campaña {batch}</translation>
    </message>
    <message>
        <source>Outreach review queue</source>
        <translation>Cola de revisión de la campaña</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Campaña</translation>
    </message>
    <message>
        <source>Brief</source>
        <translation>Instrucciones</translation>
    </message>
    <message>
        <source>Position in the queue</source>
        <translation>Posición en la cola</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Cliente</translation>
    </message>
    <message>
        <source>Sameness of this message</source>
        <translation>Similitud de este mensaje</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Asunto</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
    <message>
        <source>State of this message</source>
        <translation>Estado de este mensaje</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>Observaciones</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problema</translation>
    </message>
    <message>
        <source>&amp;Approve &amp;&amp; next</source>
        <translation>&amp;Aprobar y siguiente</translation>
    </message>
    <message>
        <source>Approve this exact text and go to the next message</source>
        <translation>Aprobar exactamente este texto y pasar al siguiente mensaje</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Editar</translation>
    </message>
    <message>
        <source>Edit this message</source>
        <translation>Editar este mensaje</translation>
    </message>
    <message>
        <source>&amp;Skip</source>
        <translation>&amp;Omitir</translation>
    </message>
    <message>
        <source>Skip this message for now</source>
        <translation>Omitir este mensaje por ahora</translation>
    </message>
    <message>
        <source>&amp;Reject…</source>
        <translation>&amp;Rechazar…</translation>
    </message>
    <message>
        <source>Reject this message with a reason</source>
        <translation>Rechazar este mensaje con un motivo</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>Anterior</translation>
    </message>
    <message>
        <source>Previous message</source>
        <translation>Mensaje anterior</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Siguiente</translation>
    </message>
    <message>
        <source>Next message</source>
        <translation>Mensaje siguiente</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <source>Close the review queue</source>
        <translation>Cerrar la cola de revisión</translation>
    </message>
    <message>
        <source>Loading the batch…</source>
        <translation>Cargando la campaña…</translation>
    </message>
    <message>
        <source>Batch {batch} · {purpose} · {channel} · brief by {author}</source>
        <translation>Campaña {batch} · {purpose} · {channel} · instrucciones de {author}</translation>
    </message>
    <message>
        <source>This batch has no drafts yet.</source>
        <translation>Esta campaña aún no tiene borradores.</translation>
    </message>
    <message>
        <source>Language: {language} · Plan: {plan} · Owner: {owner}</source>
        <translation>Idioma: {language} · Plan: {plan} · Responsable: {owner}</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nunca</translation>
    </message>
    <message>
        <source>Last contact: {when}</source>
        <translation>Último contacto: {when}</translation>
    </message>
    <message>
        <source>Has an open issue</source>
        <translation>Tiene una incidencia abierta</translation>
    </message>
    <message>
        <source>No open issue</source>
        <translation>Sin incidencias abiertas</translation>
    </message>
    <message>
        <source>Language: {language}</source>
        <translation>Idioma: {language}</translation>
    </message>
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
        <source>No findings</source>
        <translation>Sin observaciones</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Comprobando…</translation>
    </message>
    <message>
        <source>Sameness: not scored yet</source>
        <translation>Similitud: aún sin calcular</translation>
    </message>
    <message>
        <source>Sameness: {pct}% of this message is shared with the rest of the batch</source>
        <translation>Similitud: el {pct} % de este mensaje coincide con el resto de la campaña</translation>
    </message>
    <message>
        <source>to review</source>
        <translation>por revisar</translation>
    </message>
    <message>
        <source>approved: queued for sending</source>
        <translation>aprobado: en cola de envío</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>rechazado</translation>
    </message>
    <message>
        <source>skipped: still to decide</source>
        <translation>omitido: pendiente de decidir</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>enviado</translation>
    </message>
    <message>
        <source>Message {n} of {total} · {approved} approved, {skipped} skipped, {rejected} rejected, {pending} to review</source>
        <translation>Mensaje {n} de {total} · {approved} aprobados, {skipped} omitidos, {rejected} rechazados, {pending} por revisar</translation>
    </message>
    <message>
        <source>Every message has been decided or skipped.</source>
        <translation>Todos los mensajes están decididos u omitidos.</translation>
    </message>
    <message>
        <source>There is no text to approve.</source>
        <translation>No hay texto que aprobar.</translation>
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
        <source>Keeps the selected version&apos;s text as a new revision; no revision is removed.</source>
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
    <name>SamenessChart</name>
    <message>
        <source>Sameness distribution of the batch</source>
        <translation>Distribución de la similitud en la campaña</translation>
    </message>
    <message>
        <source>Sameness across the batch</source>
        <translation>Similitud en toda la campaña</translation>
    </message>
    <message>
        <source>Other drafts</source>
        <translation>Otros borradores</translation>
    </message>
    <message>
        <source>This message</source>
        <translation>Este mensaje</translation>
    </message>
    <message>
        <source>% shared with the batch (bands of {step})</source>
        <translation>% en común con la campaña (tramos de {step})</translation>
    </message>
    <message>
        <source>Drafts per sameness bucket: {buckets}</source>
        <translation>Borradores por tramo de similitud: {buckets}</translation>
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
        <source>The theme changes when you save; the language, the next time Latido starts.</source>
        <translation>El tema cambia al guardar; el idioma, la próxima vez que se abra Latido.</translation>
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
<context>
    <name>TeamActions</name>
    <message>
        <source>The workspace is still opening; try again in a moment.</source>
        <translation>El espacio de trabajo aún se está abriendo; inténtalo de nuevo en un momento.</translation>
    </message>
    <message>
        <source>Pick an item in the inbox first.</source>
        <translation>Primero elige un elemento de la bandeja de entrada.</translation>
    </message>
    <message>
        <source>This item has no draft yet.</source>
        <translation>Este elemento aún no tiene borrador.</translation>
    </message>
    <message>
        <source>Add &amp;note…</source>
        <translation>Añadir &amp;nota…</translation>
    </message>
    <message>
        <source>Use as voice &amp;example</source>
        <translation>Usar como &amp;ejemplo de voz</translation>
    </message>
    <message>
        <source>New &amp;message to this customer…</source>
        <translation>Nuevo &amp;mensaje a este cliente…</translation>
    </message>
    <message>
        <source>&amp;Team</source>
        <translation>E&amp;quipo</translation>
    </message>
    <message>
        <source>Approval &amp;history…</source>
        <translation>&amp;Historial de aprobaciones…</translation>
    </message>
    <message>
        <source>&amp;Insights…</source>
        <translation>&amp;Estadísticas…</translation>
    </message>
    <message>
        <source>New &amp;outreach batch…</source>
        <translation>Nueva &amp;campaña de mensajes…</translation>
    </message>
    <message>
        <source>Outreach &amp;batches…</source>
        <translation>Ca&amp;mpañas de mensajes…</translation>
    </message>
    <message>
        <source>Approval &amp;policy…</source>
        <translation>&amp;Política de aprobación…</translation>
    </message>
    <message>
        <source>&amp;Feedback notes…</source>
        <translation>Notas de primera &amp;línea…</translation>
    </message>
    <message>
        <source>Comment &amp;themes…</source>
        <translation>&amp;Temas de los comentarios…</translation>
    </message>
    <message>
        <source>&amp;Voice guide…</source>
        <translation>Guía de &amp;voz…</translation>
    </message>
</context>
<context>
    <name>ThemesWindow</name>
    <message>
        <source>Comment themes</source>
        <translation>Temas de los comentarios</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Periodo</translation>
    </message>
    <message>
        <source>Last {days} days</source>
        <translation>Últimos {days} días</translation>
    </message>
    <message>
        <source>&amp;Period:</source>
        <translation>P&amp;eriodo:</translation>
    </message>
    <message>
        <source>&amp;Find themes</source>
        <translation>&amp;Buscar temas</translation>
    </message>
    <message>
        <source>Find themes</source>
        <translation>Buscar temas</translation>
    </message>
    <message>
        <source>Find the themes of the period (F5)</source>
        <translation>Buscar los temas del periodo (F5)</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>&amp;Parar</translation>
    </message>
    <message>
        <source>Stop finding themes</source>
        <translation>Dejar de buscar temas</translation>
    </message>
    <message>
        <source>Stop finding themes (Alt+S)</source>
        <translation>Dejar de buscar temas (Alt+P)</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Progreso</translation>
    </message>
    <message>
        <source>Themes</source>
        <translation>Temas</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Tema</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Mensajes</translation>
    </message>
    <message>
        <source>Also said as</source>
        <translation>También dicho como</translation>
    </message>
    <message>
        <source>Volume trend</source>
        <translation>Tendencia del volumen</translation>
    </message>
    <message>
        <source>Example messages</source>
        <translation>Mensajes de ejemplo</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Close the themes</source>
        <translation>Cerrar los temas</translation>
    </message>
    <message>
        <source>E&amp;xamples:</source>
        <translation>E&amp;jemplos:</translation>
    </message>
    <message>
        <source>Reading the messages of the last {days} days…</source>
        <translation>Leyendo los mensajes de los últimos {days} días…</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>Detenido.</translation>
    </message>
    <message>
        <source>{themes} themes in {messages} incoming messages.</source>
        <translation>{themes} temas en {messages} mensajes recibidos.</translation>
    </message>
    <message>
        <source>No recurring themes in {messages} incoming messages.</source>
        <translation>No hay temas recurrentes en {messages} mensajes recibidos.</translation>
    </message>
    <message>
        <source>Could not find themes: {error}</source>
        <translation>No se pudieron buscar los temas: {error}</translation>
    </message>
    <message>
        <source>“{theme}”: messages per period</source>
        <translation>«{theme}»: mensajes por periodo</translation>
    </message>
    <message>
        <source>Messages per period: {counts}</source>
        <translation>Mensajes por periodo: {counts}</translation>
    </message>
</context>
<context>
    <name>VoiceGuideDialog</name>
    <message>
        <source>Voice guide</source>
        <translation>Guía de voz</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>Spanish</source>
        <translation>Español</translation>
    </message>
    <message>
        <source>English</source>
        <translation>Inglés</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Idioma:</translation>
    </message>
    <message>
        <source>Tone rules</source>
        <translation>Reglas de tono</translation>
    </message>
    <message>
        <source>Words to use, one per line</source>
        <translation>Palabras que usar, una por línea</translation>
    </message>
    <message>
        <source>Words to avoid, one per line</source>
        <translation>Palabras que evitar, una por línea</translation>
    </message>
    <message>
        <source>Drafts that use these are flagged as robotic.</source>
        <translation>Los borradores que las usan se marcan como robóticos.</translation>
    </message>
    <message>
        <source>Email signature</source>
        <translation>Firma de correo</translation>
    </message>
    <message>
        <source>Comment signature</source>
        <translation>Firma de comentarios</translation>
    </message>
    <message>
        <source>Public comments go out from the brand&apos;s account unsigned; DMs use this when they have none.</source>
        <translation>Los comentarios públicos salen sin firma desde la cuenta de la marca; los mensajes directos usan esta si no tienen una propia.</translation>
    </message>
    <message>
        <source>Direct message signature</source>
        <translation>Firma de mensajes directos</translation>
    </message>
    <message>
        <source>Comment length limit</source>
        <translation>Límite de longitud de comentarios</translation>
    </message>
    <message>
        <source> characters</source>
        <translation> caracteres</translation>
    </message>
    <message>
        <source>&amp;Tone:</source>
        <translation>&amp;Tono:</translation>
    </message>
    <message>
        <source>Words to &amp;use:</source>
        <translation>Palabras que &amp;usar:</translation>
    </message>
    <message>
        <source>Words to a&amp;void:</source>
        <translation>Palabras que e&amp;vitar:</translation>
    </message>
    <message>
        <source>&amp;Email signature:</source>
        <translation>&amp;Firma de correo:</translation>
    </message>
    <message>
        <source>C&amp;omment signature:</source>
        <translation>Firma de &amp;comentarios:</translation>
    </message>
    <message>
        <source>&amp;DM signature:</source>
        <translation>Firma de &amp;mensajes directos:</translation>
    </message>
    <message>
        <source>Comment le&amp;ngth limit:</source>
        <translation>&amp;Límite de longitud de comentarios:</translation>
    </message>
    <message>
        <source>Example replies</source>
        <translation>Respuestas de ejemplo</translation>
    </message>
    <message>
        <source>Selected example</source>
        <translation>Ejemplo seleccionado</translation>
    </message>
    <message>
        <source>&amp;Add example…</source>
        <translation>&amp;Añadir ejemplo…</translation>
    </message>
    <message>
        <source>Add an example reply</source>
        <translation>Añadir una respuesta de ejemplo</translation>
    </message>
    <message>
        <source>&amp;Remove example</source>
        <translation>&amp;Eliminar ejemplo</translation>
    </message>
    <message>
        <source>Remove the selected example</source>
        <translation>Eliminar el ejemplo seleccionado</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Save the voice guide</source>
        <translation>Guardar la guía de voz</translation>
    </message>
    <message>
        <source>Save (Ctrl+S)</source>
        <translation>Guardar (Ctrl+S)</translation>
    </message>
    <message>
        <source>Close the voice guide</source>
        <translation>Cerrar la guía de voz</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Cargando…</translation>
    </message>
    <message>
        <source>No guide for this language yet: write one and save it.</source>
        <translation>Aún no hay guía para este idioma: escribe una y guárdala.</translation>
    </message>
    <message>
        <source>(no message: a new message)</source>
        <translation>(sin mensaje: un mensaje nuevo)</translation>
    </message>
    <message>
        <source>Message:
{incoming}

Reply:
{reply}</source>
        <translation>Mensaje:
{incoming}

Respuesta:
{reply}</translation>
    </message>
    <message>
        <source>Could not do that: {reason}</source>
        <translation>No se pudo hacer: {reason}</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Guardando…</translation>
    </message>
    <message>
        <source>Saved. New drafts and checks use it now.</source>
        <translation>Guardada. Los nuevos borradores y comprobaciones ya la usan.</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Cambios sin guardar</translation>
    </message>
    <message>
        <source>The voice guide has changes that are not saved. Save them?</source>
        <translation>La guía de voz tiene cambios sin guardar. ¿Quieres guardarlos?</translation>
    </message>
    <message>
        <source>Adding the example…</source>
        <translation>Añadiendo el ejemplo…</translation>
    </message>
    <message>
        <source>Example added.</source>
        <translation>Ejemplo añadido.</translation>
    </message>
    <message>
        <source>Removing the example…</source>
        <translation>Eliminando el ejemplo…</translation>
    </message>
    <message>
        <source>Example removed.</source>
        <translation>Ejemplo eliminado.</translation>
    </message>
</context>
</TS>
