/// The `/docs` page: the OpenAPI document embedded as JSON, rendered in the browser by a
/// small script — operations grouped by tag, with parameters, bodies, responses and the
/// schemas they refer to. Nothing is loaded from anywhere else.
enum DocsPage {
    static let html = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>authz API</title>
        <style>
        body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem 2rem; color: #1d232a; }
        h1 { margin-bottom: 0; } h2 { border-bottom: 1px solid #d8dde3; margin-top: 2.5rem; text-transform: capitalize; }
        details { border: 1px solid #d8dde3; border-radius: 6px; margin: .5rem 0; padding: .4rem .8rem; }
        summary { cursor: pointer; } code, pre { font: 13px/1.45 ui-monospace, monospace; }
        pre { background: #f4f6f8; padding: .6rem; overflow-x: auto; border-radius: 4px; }
        .method { display: inline-block; min-width: 4.5rem; font-weight: 600; text-transform: uppercase; }
        .get { color: #0a6b3d; } .post { color: #0b5cad; } .delete { color: #b3261e; } .patch, .put { color: #8a5a00; }
        table { border-collapse: collapse; } td, th { text-align: left; padding: .15rem .8rem .15rem 0; vertical-align: top; }
        </style>
        </head>
        <body>
        <h1>authz API</h1>
        <p id="intro"></p>
        <main id="operations"></main>
        <h2>Schemas</h2>
        <main id="schemas"></main>
        <script type="application/json" id="openapi">%DOCUMENT%</script>
        <script>
        const doc = JSON.parse(document.getElementById('openapi').textContent);
        const el = (tag, text, cls) => { const e = document.createElement(tag); if (text) e.textContent = text; if (cls) e.className = cls; return e; };
        const show = schema => JSON.stringify(schema, null, 2);
        document.getElementById('intro').textContent = doc.info.description;
        const byTag = {};
        for (const [path, methods] of Object.entries(doc.paths)) {
          for (const [method, op] of Object.entries(methods)) {
            (byTag[op.tags[0]] = byTag[op.tags[0]] || []).push([method, path, op]);
          }
        }
        const main = document.getElementById('operations');
        for (const [tag, ops] of Object.entries(byTag)) {
          main.appendChild(el('h2', tag));
          for (const [method, path, op] of ops) {
            const d = el('details'); d.id = op.operationId;
            const s = el('summary'); s.appendChild(el('span', method, 'method ' + method)); s.appendChild(el('code', path));
            s.appendChild(document.createTextNode(' — ' + op.summary)); d.appendChild(s);
            if (op.description) d.appendChild(el('p', op.description));
            if (op.parameters) {
              const t = el('table'); t.appendChild(el('tr')).append(el('th', 'parameter'), el('th', 'in'), el('th', 'schema'));
              for (const p of op.parameters) t.appendChild(el('tr')).append(el('td', p.name), el('td', p.in), el('td', show(p.schema)));
              d.appendChild(t);
            }
            if (op.requestBody) {
              d.appendChild(el('h4', 'Body'));
              for (const [type, media] of Object.entries(op.requestBody.content || {})) {
                d.appendChild(el('p', type));
                d.appendChild(el('pre', show((media || {}).schema || {})));
              }
            }
            d.appendChild(el('h4', 'Responses'));
            for (const [status, r] of Object.entries(op.responses)) {
              d.appendChild(el('p', status + ': ' + r.description));
              const content = r.content && Object.values(r.content)[0];
              if (content && status < 300) d.appendChild(el('pre', show(content.schema)));
            }
            main.appendChild(d);
          }
        }
        const schemas = document.getElementById('schemas');
        for (const [name, schema] of Object.entries(doc.components.schemas)) {
          const d = el('details'); d.id = 'schema-' + name; d.appendChild(el('summary', name)); d.appendChild(el('pre', show(schema)));
          schemas.appendChild(d);
        }
        </script>
        </body>
        </html>
        """
}
