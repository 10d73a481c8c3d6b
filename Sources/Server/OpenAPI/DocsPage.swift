/// The `/docs` page: the OpenAPI document embedded as JSON data, rendered in the browser by
/// one script — operations grouped by tag, each with its parameters, body, responses, error
/// codes and an example request; schemas as tables of fields whose types link to the schemas
/// they name, enumerations listed. Nothing is loaded from anywhere else, and the page's
/// Content-Security-Policy admits only this script and this style, by their hashes.
enum DocsPage {
    static let style = """
        body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 64rem; padding: 1rem 2rem; color: #1d232a; }
        h1 { margin-bottom: 0; } h2 { border-bottom: 1px solid #d8dde3; margin-top: 2.5rem; text-transform: capitalize; }
        h4 { margin: .8rem 0 .2rem; } h5 { margin: .6rem 0 .1rem; font-weight: 600; }
        details { border: 1px solid #d8dde3; border-radius: 6px; margin: .5rem 0; padding: .4rem .8rem; }
        details:target, details.target { border-color: #0b5cad; }
        summary { cursor: pointer; } code, pre { font: 13px/1.45 ui-monospace, monospace; }
        pre { background: #f4f6f8; padding: .6rem; overflow-x: auto; border-radius: 4px; white-space: pre-wrap; }
        .method { display: inline-block; min-width: 4.5rem; font-weight: 600; text-transform: uppercase; }
        .get { color: #0a6b3d; } .post { color: #0b5cad; } .delete { color: #b3261e; } .patch, .put { color: #8a5a00; }
        .required { color: #b3261e; font-size: 12px; } .muted { color: #5c6670; }
        table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: .2rem .8rem .2rem 0; vertical-align: top; border-bottom: 1px solid #eef1f4; }
        nav a { margin-right: .8rem; }
        body { overflow-wrap: break-word; } pre, td code { overflow-wrap: anywhere; }
        td:first-child, td a { white-space: nowrap; }
        @media (max-width: 40rem) { body { padding: .5rem 1rem; } .method { min-width: 3.5rem; } }
        """

    static let script = """
        'use strict';
        const doc = JSON.parse(document.getElementById('openapi').textContent);
        const schemas = (doc.components && doc.components.schemas) || {};
        const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined && text !== null) e.textContent = String(text); if (cls) e.className = cls; return e; };
        // Prose with `code` spans, built as nodes (never as HTML).
        const prose = (tag, text) => {
          const e = el(tag);
          String(text || '').split('`').forEach((part, index) => e.appendChild(index % 2 ? el('code', part) : document.createTextNode(part)));
          return e;
        };
        const refName = ref => ref.split('/').pop();
        const resolve = schema => (schema && schema.$ref) ? (schemas[refName(schema.$ref)] || {}) : (schema || {});
        // Shared responses and parameters are named once in components; each operation shows
        // them in full.
        const shared = (kind, item) => (item && item.$ref) ? (((doc.components || {})[kind] || {})[refName(item.$ref)] || {}) : item;
        for (const operations of Object.values(doc.paths || {})) {
          for (const op of Object.values(operations)) {
            if (op.parameters) op.parameters = op.parameters.map(parameter => shared('parameters', parameter));
            for (const status of Object.keys(op.responses || {})) op.responses[status] = shared('responses', op.responses[status]);
          }
        }
        const withoutNull = schema => {
          const options = schema && (schema.anyOf || schema.oneOf);
          if (!options) return [schema, false];
          const rest = options.filter(option => option.type !== 'null');
          return [rest.length === 1 ? rest[0] : { anyOf: rest }, rest.length < options.length];
        };
        // A schema as a short phrase, with links to the named schemas it uses.
        const typeOf = (schema, depth = 0) => {
          const span = el('span');
          const [inner, nullable] = withoutNull(schema || {});
          if (inner.$ref) {
            const a = el('a', refName(inner.$ref)); a.href = '#schema-' + refName(inner.$ref); span.appendChild(a);
          } else if (inner.anyOf) {
            inner.anyOf.forEach((option, index) => { if (index) span.appendChild(document.createTextNode(' or ')); span.appendChild(typeOf(option, depth + 1)); });
          } else if (inner.enum) {
            span.appendChild(document.createTextNode('one of '));
            inner.enum.forEach((value, index) => { if (index) span.appendChild(document.createTextNode(', ')); span.appendChild(el('code', JSON.stringify(value))); });
          } else if (inner.type === 'array') {
            span.appendChild(document.createTextNode('list of ')); span.appendChild(typeOf(inner.items, depth + 1));
            if (inner.maxItems !== undefined) span.appendChild(document.createTextNode(' (at most ' + inner.maxItems + ')'));
          } else if (inner.type === 'object' && inner.properties && Object.keys(inner.properties).length && depth < 1) {
            span.appendChild(fields(inner));
          } else {
            let text = inner.type || 'any value';
            if (inner.format) text += ' (' + inner.format + ')';
            const limits = [];
            if (inner.minLength !== undefined) limits.push('at least ' + inner.minLength + ' characters');
            if (inner.maxLength !== undefined) limits.push('at most ' + inner.maxLength + ' characters');
            if (inner.minimum !== undefined) limits.push('≥ ' + inner.minimum);
            if (inner.maximum !== undefined) limits.push('≤ ' + inner.maximum);
            if (inner.pattern) limits.push('matching ' + inner.pattern);
            if (limits.length) text += ', ' + limits.join(', ');
            span.appendChild(document.createTextNode(text));
          }
          if (nullable) span.appendChild(document.createTextNode(' or null'));
          return span;
        };
        // An object's fields: name, required, type, description.
        const fields = schema => {
          const table = el('table');
          table.appendChild(el('tr')).append(el('th', 'field'), el('th', 'type'), el('th', ''));
          const required = new Set(schema.required || []);
          for (const [name, property] of Object.entries(schema.properties || {})) {
            const row = table.appendChild(el('tr'));
            const cell = el('td'); cell.appendChild(el('code', name));
            if (required.has(name)) { cell.appendChild(document.createTextNode(' ')); cell.appendChild(el('span', 'required', 'required')); }
            const type = el('td'); type.appendChild(typeOf(property, 1));
            row.append(cell, type, prose('td', (withoutNull(property)[0] || {}).description || ''));
          }
          if (schema.additionalProperties === true || (schema.additionalProperties && typeof schema.additionalProperties === 'object')) {
            table.appendChild(el('tr')).append(el('td', '…'), el('td', 'any other fields'), el('td', ''));
          }
          return table;
        };
        // A oneOf: each branch under what tells it apart (a constant, such as `resource.type = job`).
        const constantOf = (schema, prefix) => {
          for (const [name, property] of Object.entries((schema && schema.properties) || {})) {
            if (property.const !== undefined) return prefix + name + ' = ' + property.const;
            const nested = property.properties ? constantOf(property, prefix + name + '.') : null;
            if (nested) return nested;
          }
          return null;
        };
        const variants = schema => {
          const box = el('div');
          box.appendChild(el('p', 'One of:'));
          for (const branch of schema.oneOf) {
            const shown = resolve(branch);
            box.appendChild(el('h5', constantOf(shown, '') || ('with ' + (shown.required || []).join(', '))));
            box.appendChild(shown.type === 'object' && shown.properties ? fields(shown) : typeOf(branch));
          }
          return box;
        };
        const describe = schema => {
          const shown = resolve(schema);
          if (shown.oneOf) return variants(shown);
          if (shown.type === 'object' && shown.properties) return fields(shown);
          return typeOf(schema);
        };
        // A value that fits the schema, for the examples.
        const sample = (schema, depth = 0) => {
          const [inner] = withoutNull(schema || {});
          if (inner.$ref) return depth > 4 ? {} : sample(resolve(inner), depth + 1);
          if (inner.anyOf) return sample(inner.anyOf[0], depth + 1);
          if (inner.oneOf) return sample(inner.oneOf[0], depth + 1);
          if (inner.const !== undefined) return inner.const;
          if (inner.enum) return inner.enum[0];
          if (inner.example !== undefined) return inner.example;
          switch (inner.type) {
            case 'string':
              if (inner.format === 'uuid') return '0190b2a4-7c1e-7000-8000-00000000000' + (depth % 10);
              if (inner.format === 'date-time') return '2026-03-19T12:00:00Z';
              if (inner.format === 'email') return 'ada@example.com';
              return 'text';
            case 'integer': case 'number': return inner.minimum !== undefined ? Math.max(inner.minimum, 1) : 1;
            case 'boolean': return true;
            case 'array': return [sample(inner.items, depth + 1)];
            case 'object': {
              const value = {};
              for (const [name, property] of Object.entries(inner.properties || {})) value[name] = sample(property, depth + 1);
              return value;
            }
            default: return null;
          }
        };
        const shellQuote = text => "'" + text.replace(/'/g, "'\\\\''") + "'";
        const example = (method, path, op) => {
          let url = path;
          const query = [];
          for (const parameter of op.parameters || []) {
            const value = String(sample(parameter.schema));
            if (parameter.in === 'path') url = url.replace('{' + parameter.name + '}', value);
            if (parameter.in === 'query' && (parameter.required || /Required/.test(parameter.description || ''))) query.push(parameter.name + '=' + encodeURIComponent(value));
          }
          if (query.length) url += '?' + query.join('&');
          const lines = ['curl -X ' + method.toUpperCase() + ' "$API' + url + '"'];
          if ((op.security || [{}]).length) lines.push('  -H "Authorization: Bearer $KEY"');
          for (const parameter of op.parameters || []) {
            if (parameter.in === 'header' && parameter.name === 'Idempotency-Key') lines.push('  -H "Idempotency-Key: $(uuidgen)"');
          }
          const content = op.requestBody && op.requestBody.content;
          if (content) {
            const [type, media] = Object.entries(content)[0];
            lines.push('  -H ' + shellQuote('Content-Type: ' + type));
            if (type === 'application/json') lines.push('  -d ' + shellQuote(JSON.stringify(sample((media || {}).schema))));
            else lines.push('  --data-binary @file');
          }
          return lines.join(' \\\\\\n');
        };

        document.getElementById('intro').appendChild(prose('span', doc.info.description));
        const byTag = new Map();
        for (const [path, methods] of Object.entries(doc.paths)) {
          for (const [method, op] of Object.entries(methods)) {
            const tag = (op.tags || ['other'])[0];
            if (!byTag.has(tag)) byTag.set(tag, []);
            byTag.get(tag).push([method, path, op]);
          }
        }
        const nav = document.getElementById('tags');
        const main = document.getElementById('operations');
        let rendered = 0;
        for (const [tag, ops] of byTag) {
          const link = el('a', tag); link.href = '#tag-' + tag; nav.appendChild(link);
          const heading = el('h2', tag); heading.id = 'tag-' + tag; main.appendChild(heading);
          for (const [method, path, op] of ops) {
            const d = el('details', undefined, 'operation'); d.id = op.operationId;
            const s = el('summary'); s.appendChild(el('span', method, 'method ' + method)); s.appendChild(el('code', path));
            s.appendChild(document.createTextNode(' — ' + op.summary)); d.appendChild(s);
            if (op.description) op.description.split('\\n\\n').forEach(paragraph => d.appendChild(prose('p', paragraph)));
            if (op.parameters && op.parameters.length) {
              d.appendChild(el('h4', 'Parameters'));
              const t = el('table');
              t.appendChild(el('tr')).append(el('th', 'name'), el('th', 'in'), el('th', 'type'), el('th', ''));
              for (const p of op.parameters) {
                const name = el('td'); name.appendChild(el('code', p.name));
                if (p.required) { name.appendChild(document.createTextNode(' ')); name.appendChild(el('span', 'required', 'required')); }
                const type = el('td'); type.appendChild(typeOf(p.schema, 1));
                t.appendChild(el('tr')).append(name, el('td', p.in), type, prose('td', p.description || ''));
              }
              d.appendChild(t);
            }
            if (op.requestBody) {
              d.appendChild(el('h4', 'Body'));
              for (const [type, media] of Object.entries(op.requestBody.content || {})) {
                d.appendChild(prose('p', '`' + type + '`'));
                const schema = (media || {}).schema || {};
                if (schema.$ref) { const p = el('p', 'A '); const a = el('a', refName(schema.$ref)); a.href = '#schema-' + refName(schema.$ref); p.appendChild(a); d.appendChild(p); }
                d.appendChild(describe(schema));
              }
            }
            d.appendChild(el('h4', 'Responses'));
            const responses = el('table');
            for (const [status, r] of Object.entries(op.responses || {})) {
              const type = el('td');
              const media = r.content && Object.values(r.content)[0];
              const data = media && media.schema && media.schema.properties && media.schema.properties.data;
              if (Number(status) < 300 && data) type.appendChild(typeOf(data, 1));
              else if (Number(status) < 300 && media && media.schema) type.appendChild(typeOf(media.schema, 1));
              responses.appendChild(el('tr')).append(el('td', status), prose('td', r.description), type);
            }
            d.appendChild(responses);
            d.appendChild(el('h4', 'Example'));
            d.appendChild(el('pre', example(method, path, op), 'example'));
            main.appendChild(d);
            rendered += 1;
          }
        }
        const list = document.getElementById('schemas');
        for (const [name, schema] of Object.entries(schemas)) {
          const d = el('details', undefined, 'schema'); d.id = 'schema-' + name; d.appendChild(el('summary', name));
          if (schema.description) d.appendChild(prose('p', schema.description));
          d.appendChild(schema.oneOf ? variants(schema) : describe(withoutNull(schema)[0]));
          d.appendChild(el('h4', 'Example'));
          d.appendChild(el('pre', JSON.stringify(sample(schema), null, 2)));
          list.appendChild(d);
        }
        // A link to a schema or an operation opens it.
        const openTarget = () => {
          const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
          if (target && target.tagName === 'DETAILS') { target.open = true; target.scrollIntoView(); }
        };
        window.addEventListener('hashchange', openTarget);
        openTarget();
        document.body.dataset.operations = String(rendered);
        """

    static let template = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>authz API</title>
        <style>%STYLE%</style>
        </head>
        <body>
        <h1>authz API</h1>
        <p id="intro"></p>
        <p class="muted">In the examples, <code>$API</code> is this server's address and <code>$KEY</code> an API key or JWT.</p>
        <nav id="tags"></nav>
        <main id="operations"></main>
        <h2 id="tag-schemas">Schemas</h2>
        <section id="schemas"></section>
        <script type="application/json" id="openapi">%DOCUMENT%</script>
        <script>%SCRIPT%</script>
        </body>
        </html>
        """
}
