// The authz admin console: a client of the public API, nothing more. The credential (an API
// key or a JWT) lives in this tab's sessionStorage and is sent as `Authorization: Bearer`;
// every action is the API's, authorized by the same evaluator as any other client's, and the
// console offers only what /v1/me/permissions says the signed-in principal may do. Pages are
// built with DOM calls (never HTML from data), so nothing an organization name holds can run.
"use strict";

const STORE = "authz.credential";
const NEXT = "authz.next";

// ---- API ---------------------------------------------------------------------------------

class APIError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details || [];
  }
}

function credential() {
  return sessionStorage.getItem(STORE);
}

async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  const token = credential();
  if (token) headers.Authorization = "Bearer " + token;
  const init = { method, headers, credentials: "omit", cache: "no-store" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    throw new APIError(0, "network", "The server could not be reached: " + error.message);
  }
  if (response.status === 204) return null;
  let envelope = null;
  try {
    envelope = await response.json();
  } catch (error) {
    throw new APIError(response.status, "unreadable", "The server answered " + response.status + " with something that is not JSON.");
  }
  if (!response.ok || (envelope && envelope.error)) {
    const e = (envelope && envelope.error) || {};
    if (response.status === 401 && token) signOut("Your credential was refused (revoked, disabled or expired); sign in again.");
    throw new APIError(response.status, e.code || "error", e.message || "The request failed (" + response.status + ").", e.details);
  }
  return envelope;
}

async function data(path) {
  return (await api("GET", path)).data;
}

/// Every page of a list, following links.next (the console's lists are an admin's scale).
async function all(path) {
  const items = [];
  let next = path;
  for (let guard = 0; next && guard < 50; guard++) {
    const envelope = await api("GET", next);
    items.push(...envelope.data.items);
    next = envelope.links && envelope.links.next;
  }
  return items;
}

let documentCache = null;
async function openAPI() {
  if (!documentCache) {
    const response = await fetch("/openapi.json", { credentials: "omit" });
    documentCache = await response.json();
  }
  return documentCache;
}

async function enumeration(name) {
  const schema = (await openAPI()).components.schemas[name];
  return (schema && schema.enum) || [];
}

// ---- DOM ---------------------------------------------------------------------------------

function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) element.addEventListener(key.slice(2), value);
    else if (key === "text") element.textContent = value;
    else element.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

function main() {
  return document.getElementById("main");
}

function say(message) {
  const status = document.getElementById("status");
  status.textContent = message;
  clearTimeout(say.timer);
  say.timer = setTimeout(() => (status.textContent = ""), 4000);
}

function errorBox(error) {
  return h("div", { class: "error", role: "alert" }, error.message || String(error));
}

function date(text) {
  if (!text) return "—";
  const value = new Date(text);
  return isNaN(value) ? text : value.toLocaleString();
}

function badge(text) {
  return h("span", { class: "badge " + text }, text);
}

let uniqueID = 0;

/// A form of labelled fields. `fields`: [{name, label, type?, options?, value?, required?,
/// help?}]. On submit it disables itself (progress shown), calls `action` with
/// the values, and shows the API's errors: each field path next to its field, the rest above.
function form(fields, submitLabel, action, options = {}) {
  const inputs = {};
  const errors = {};
  const general = h("div");
  const button = h("button", { type: "submit" }, submitLabel);
  const element = h("form", { class: options.stacked ? "stacked" : null, novalidate: true });
  for (const field of fields) {
    const id = "f" + ++uniqueID;
    let input;
    if (field.type === "select") {
      input = h("select", { id, name: field.name, required: field.required },
        (field.options || []).map((option) => {
          const [value, label] = Array.isArray(option) ? option : [option, option];
          return h("option", { value, selected: value === field.value }, label);
        }));
    } else if (field.type === "textarea") {
      input = h("textarea", { id, name: field.name, required: field.required, autocomplete: "off", spellcheck: "false" });
      if (field.value) input.value = field.value;
    } else {
      input = h("input", { id, name: field.name, type: field.type || "text", required: field.required, value: field.value, min: field.min, autocomplete: field.autocomplete || "off" });
    }
    inputs[field.name] = input;
    errors[field.name] = h("span", { class: "field-error", id: id + "-error" });
    input.setAttribute("aria-describedby", id + "-error");
    element.append(h("div", { class: "field" }, h("label", { for: id }, field.label), input, field.help ? h("span", { class: "muted" }, field.help) : null, errors[field.name]));
  }
  element.append(h("div", { class: "field" }, button), general);
  element.addEventListener("submit", async (event) => {
    event.preventDefault();
    general.replaceChildren();
    for (const name of Object.keys(errors)) {
      errors[name].textContent = "";
      inputs[name].removeAttribute("aria-invalid");
    }
    const values = {};
    for (const [name, input] of Object.entries(inputs)) values[name] = input.value.trim();
    const label = button.textContent;
    button.disabled = true;
    button.textContent = "Working…";
    element.setAttribute("aria-busy", "true");
    try {
      await action(values);
    } catch (error) {
      showErrors(error, inputs, errors, general, options.fieldMap || {});
    } finally {
      button.disabled = false;
      button.textContent = label;
      element.removeAttribute("aria-busy");
    }
  });
  return element;
}

function showErrors(error, inputs, errors, general, fieldMap) {
  const unplaced = [];
  for (const detail of (error && error.details) || []) {
    const name = fieldMap[detail.field] || detail.field;
    if (errors[name]) {
      errors[name].textContent = detail.message;
      inputs[name].setAttribute("aria-invalid", "true");
    } else {
      unplaced.push((detail.field ? detail.field + ": " : "") + detail.message);
    }
  }
  const message = unplaced.length ? unplaced.join("; ") : (error && error.details && error.details.length ? null : (error && error.message) || String(error));
  if (message) general.append(errorBox({ message }));
  const first = Object.values(inputs).find((input) => input.getAttribute("aria-invalid") === "true");
  if (first) first.focus();
}

/// A button that runs `action`, confirming first when `confirmText` is given, showing
/// progress, and reporting a failure where it happened.
function actionButton(label, action, { confirmText, danger, secondary, name } = {}) {
  const button = h("button", { type: "button", class: danger ? "danger" : secondary ? "secondary" : null, "data-action": name || label });
  button.textContent = label;
  button.addEventListener("click", async () => {
    if (confirmText && !window.confirm(confirmText)) return;
    button.disabled = true;
    const text = button.textContent;
    button.textContent = "Working…";
    try {
      await action();
    } catch (error) {
      button.after(errorBox(error));
    } finally {
      button.disabled = false;
      button.textContent = text;
    }
  });
  return button;
}

/// A secret shown once (a key, an accept link), with a copy button.
function secret(label, value) {
  const code = h("code", { "data-secret": label }, value);
  const copy = h("button", { type: "button", class: "secondary" }, "Copy");
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(value);
      say("Copied.");
    } catch (error) {
      // No clipboard (an insecure origin, a denied permission): select it for Ctrl-C.
      const range = document.createRange();
      range.selectNodeContents(code);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      say("Selected: press Ctrl-C (⌘-C) to copy.");
    }
  });
  return h("div", { class: "notice", role: "alert" },
    h("p", {}, h("strong", {}, label), " — shown this once; it cannot be read again."),
    h("div", { class: "secret" }, code, copy));
}

function table(headers, rows, emptyText) {
  if (!rows.length) return h("p", { class: "muted" }, emptyText);
  return h("div", { class: "table-wrap" },
    h("table", {}, h("thead", {}, h("tr", {}, headers.map((header) => h("th", { scope: "col" }, header)))),
      h("tbody", {}, rows)));
}

// ---- Session ------------------------------------------------------------------------------

let me = null;

function signOut(message) {
  sessionStorage.removeItem(STORE);
  me = null;
  if (message) sessionStorage.setItem("authz.signout", message);
  renderNav();
  location.hash = "#/sign-in";
}

function renderNav() {
  const nav = document.getElementById("nav");
  nav.replaceChildren();
  if (!me) return;
  nav.append(
    h("a", { href: "#/" }, "Organizations"),
    h("a", { href: "#/keys" }, "My API keys"),
    h("span", { class: "who" }, me.name || me.email || me.id, me.platform_admin ? " (platform admin)" : ""),
    h("button", { type: "button", class: "secondary", id: "sign-out", onclick: () => signOut() }, "Sign out"));
}

async function pageSignIn() {
  const view = h("section", { class: "card" }, h("h1", {}, "Sign in"),
    h("p", {}, "Paste an API key or a JWT from the configured issuer. It is kept in this tab only and forgotten when you sign out or close the tab."));
  const farewell = sessionStorage.getItem("authz.signout");
  if (farewell) {
    sessionStorage.removeItem("authz.signout");
    view.append(h("div", { class: "error", role: "alert" }, farewell));
  }
  view.append(form([{ name: "credential", label: "API key or JWT", type: "password", required: true, autocomplete: "off" }], "Sign in", async ({ credential: value }) => {
    if (!value) throw new APIError(400, "validation_error", "", [{ field: "credential", message: "is required" }]);
    sessionStorage.setItem(STORE, value);
    try {
      me = await data("/v1/me");
    } catch (error) {
      sessionStorage.removeItem(STORE);
      if (error.status === 401) throw new APIError(401, "unauthorized", "", [{ field: "credential", message: "was not accepted: an unknown, revoked, disabled or expired key, or a JWT that does not verify" }]);
      throw error;
    }
    renderNav();
    const next = sessionStorage.getItem(NEXT);
    sessionStorage.removeItem(NEXT);
    location.hash = next || "#/";
  }, { stacked: true }));
  return view;
}

// ---- Organizations ------------------------------------------------------------------------

async function pageOrganizations() {
  const memberships = await all("/v1/me/organizations?limit=200");
  const view = h("div", {}, h("h1", {}, "Organizations"));
  view.append(table(["Organization", "Your role", "Created"],
    memberships.map((m) => h("tr", {},
      h("td", {}, h("a", { href: "#/organizations/" + m.organization.id }, m.organization.name)),
      h("td", {}, m.role),
      h("td", {}, date(m.organization.created_at)))),
    "You belong to no organization yet."));
  view.append(h("section", { class: "card" }, h("h2", {}, "Create an organization"),
    h("p", { class: "muted" }, "You become its owner."),
    form([{ name: "name", label: "Name", required: true }], "Create", async ({ name }) => {
      const created = await api("POST", "/v1/organizations", { name });
      say("Created " + created.data.name + ".");
      location.hash = "#/organizations/" + created.data.id;
    })));
  return view;
}

/// What the caller may do in an organization, from the API itself.
async function access(organization) {
  const permissions = await data("/v1/me/permissions?organization_id=" + encodeURIComponent(organization));
  const set = new Set(permissions.permissions);
  return { ...permissions, can: (name) => set.has(name) };
}

const TABS = [
  ["members", "Members", "member.read"], ["teams", "Teams", "team.read"], ["invitations", "Invitations", "invitation.read"],
  ["keys", "API keys", "api_key.read"], ["audit", "Audit log", "audit_log.read"], ["access", "Access", "authz.check"], ["usage", "Usage", "usage.read"],
];

async function pageOrganization(id, tab) {
  const [organization, rights] = await Promise.all([data("/v1/organizations/" + id), access(id)]);
  const view = h("div", {}, h("h1", {}, organization.name),
    h("p", { class: "muted" }, "Your role: " + (rights.role || (rights.platform_admin ? "platform admin" : "none"))));
  if (rights.can("organization.update")) {
    view.append(h("details", {}, h("summary", {}, "Rename"),
      form([{ name: "name", label: "New name", required: true, value: organization.name }], "Rename", async ({ name }) => {
        await api("PATCH", "/v1/organizations/" + id, { name });
        say("Renamed.");
        await route();
      })));
  }
  const visible = TABS.filter(([, , permission]) => rights.can(permission));
  const current = tab || (visible[0] && visible[0][0]);
  view.append(h("div", { class: "tabs", role: "navigation", "aria-label": "Organization" },
    visible.map(([key, label]) => h("a", { href: "#/organizations/" + id + "/" + key, "aria-current": key === current ? "page" : null }, label))));
  const body = h("div");
  view.append(body);
  const pages = { members: tabMembers, teams: tabTeams, invitations: tabInvitations, keys: tabOrganizationKeys, audit: tabAudit, access: tabAccess, usage: tabUsage };
  if (pages[current] && visible.some(([key]) => key === current)) body.append(await pages[current](organization, rights));
  else body.append(h("p", { class: "muted" }, "There is nothing here you may see."));
  return view;
}

async function tabMembers(organization, rights) {
  const [members, teams] = await Promise.all([all("/v1/organizations/" + organization.id + "/members?limit=200"), all("/v1/organizations/" + organization.id + "/teams?limit=200")]);
  // Each member's teams, from each team's member list (the API lists members per team).
  const teamsOf = {};
  await Promise.all(teams.map(async (team) => {
    for (const member of await all("/v1/teams/" + team.id + "/members?limit=200")) {
      (teamsOf[member.principal_id] = teamsOf[member.principal_id] || []).push(team.name + " (" + member.role + ")");
    }
  }));
  const manage = rights.can("member.manage");
  const transfer = rights.can("organization.transfer");
  const rows = members.map((member) => {
    const label = member.name || member.email || member.principal_id;
    const cells = [
      h("td", {}, member.name || "—", member.kind === "service" ? " " : null, member.kind === "service" ? badge("service") : null),
      h("td", {}, member.email || "—"),
      h("td", { "data-role": member.role }, member.role),
      h("td", {}, (teamsOf[member.principal_id] || []).join(", ") || "—"),
    ];
    const actions = h("td", { class: "actions" });
    if (manage && rights.grantable_roles.includes(member.role)) {
      const select = h("select", { "aria-label": "Role of " + label, "data-member": member.principal_id },
        rights.grantable_roles.map((role) => h("option", { value: role, selected: role === member.role }, role)));
      actions.append(select, actionButton("Change role", async () => {
        await api("PATCH", "/v1/organizations/" + organization.id + "/members/" + member.principal_id, { role: select.value });
        say(label + " is now " + select.value + ".");
        await route();
      }, { name: "change-role", secondary: true }));
      actions.append(actionButton("Remove", async () => {
        await api("DELETE", "/v1/organizations/" + organization.id + "/members/" + member.principal_id);
        say("Removed " + label + ".");
        await route();
      }, { danger: true, name: "remove", confirmText: "Remove " + label + " from " + organization.name + "? Their team memberships and organization keys go too." }));
    }
    if (transfer && member.role !== "owner") {
      actions.append(actionButton("Make owner", async () => {
        await api("POST", "/v1/organizations/" + organization.id + "/transfer-ownership", { principal_id: member.principal_id });
        say(label + " owns " + organization.name + " now.");
        await route();
      }, { danger: true, name: "transfer", confirmText: "Transfer the ownership of " + organization.name + " to " + label + "?" }));
    }
    return h("tr", { "data-principal": member.principal_id }, cells, actions);
  });
  return h("div", {}, table(["Name", "Email", "Role", "Teams", ""], rows, "No members."));
}

async function tabTeams(organization, rights) {
  const teams = await all("/v1/organizations/" + organization.id + "/teams?limit=200");
  const view = h("div", {}, table(["Team", "Created"], teams.map((team) => h("tr", {},
    h("td", {}, h("a", { href: "#/teams/" + team.id }, team.name)), h("td", {}, date(team.created_at)))), "No teams yet."));
  if (rights.can("team.create")) {
    view.append(h("section", { class: "card" }, h("h2", {}, "Create a team"),
      form([{ name: "name", label: "Name", required: true }], "Create team", async ({ name }) => {
        const created = await api("POST", "/v1/teams", { organization_id: organization.id, name });
        say("Created " + created.data.name + ".");
        location.hash = "#/teams/" + created.data.id;
      })));
  }
  return view;
}

async function pageTeam(id) {
  const team = await data("/v1/teams/" + id);
  const [organization, rights, members, teamRoles] = await Promise.all([
    data("/v1/organizations/" + team.organization_id), access(team.organization_id), all("/v1/teams/" + id + "/members?limit=200"), enumeration("TeamRole"),
  ]);
  const onTeam = new Set((rights.teams.find((t) => t.team === id) || { permissions: [] }).permissions);
  const can = (permission) => rights.can(permission) || onTeam.has(permission);
  const view = h("div", {}, h("p", {}, h("a", { href: "#/organizations/" + organization.id + "/teams" }, "← " + organization.name)), h("h1", {}, team.name));
  const manage = can("team.member.manage");
  view.append(table(["Name", "Email", "Team role", ""], members.map((member) => {
    const label = member.name || member.email || member.principal_id;
    const actions = h("td", { class: "actions" });
    if (manage) {
      const select = h("select", { "aria-label": "Team role of " + label }, teamRoles.map((role) => h("option", { value: role, selected: role === member.role }, role)));
      actions.append(select, actionButton("Change role", async () => {
        await api("PUT", "/v1/teams/" + id + "/members/" + member.principal_id, { role: select.value });
        say(label + " is now " + select.value + " of " + team.name + ".");
        await route();
      }, { secondary: true, name: "change-team-role" }), actionButton("Remove", async () => {
        await api("DELETE", "/v1/teams/" + id + "/members/" + member.principal_id);
        say("Removed " + label + " from " + team.name + ".");
        await route();
      }, { danger: true, name: "remove-from-team", confirmText: "Remove " + label + " from " + team.name + "?" }));
    }
    return h("tr", { "data-principal": member.principal_id }, h("td", {}, member.name || "—"), h("td", {}, member.email || "—"), h("td", {}, member.role), actions);
  }), "Nobody is on this team yet."));
  if (manage && rights.can("member.read")) {
    const everyone = await all("/v1/organizations/" + organization.id + "/members?limit=200");
    const onIt = new Set(members.map((m) => m.principal_id));
    const candidates = everyone.filter((m) => !onIt.has(m.principal_id));
    if (candidates.length) {
      view.append(h("section", { class: "card" }, h("h2", {}, "Add a member"),
        form([
          { name: "principal_id", label: "Member", type: "select", options: candidates.map((m) => [m.principal_id, (m.name || m.principal_id) + (m.email ? " <" + m.email + ">" : "")]) },
          { name: "role", label: "Team role", type: "select", options: teamRoles },
        ], "Add to team", async ({ principal_id, role }) => {
          await api("PUT", "/v1/teams/" + id + "/members/" + principal_id, { role });
          say("Added.");
          await route();
        })));
    }
  }
  if (can("team.update")) {
    view.append(h("details", {}, h("summary", {}, "Rename"), form([{ name: "name", label: "New name", required: true, value: team.name }], "Rename team", async ({ name }) => {
      await api("PATCH", "/v1/teams/" + id, { name });
      say("Renamed.");
      await route();
    })));
  }
  if (rights.can("team.delete")) {
    view.append(h("p", {}, actionButton("Delete team", async () => {
      await api("DELETE", "/v1/teams/" + id);
      say("Deleted " + team.name + ".");
      location.hash = "#/organizations/" + organization.id + "/teams";
    }, { danger: true, name: "delete-team", confirmText: "Delete " + team.name + " and its memberships? Its jobs and assets stay with the organization." })));
  }
  return view;
}

async function tabInvitations(organization, rights) {
  const [invitations, teams, teamRoles] = await Promise.all([
    all("/v1/organizations/" + organization.id + "/invitations?limit=200"), all("/v1/organizations/" + organization.id + "/teams?limit=200"), enumeration("TeamRole"),
  ]);
  const view = h("div");
  const result = h("div");
  if (rights.can("invitation.create")) {
    view.append(h("section", { class: "card" }, h("h2", {}, "Invite someone"),
      form([
        { name: "email", label: "Email", type: "email", required: true, autocomplete: "off" },
        { name: "role", label: "Role", type: "select", options: rights.grantable_roles, value: rights.grantable_roles.includes("member") ? "member" : rights.grantable_roles[0] },
        { name: "team_id", label: "Team (optional)", type: "select", options: [["", "No team"]].concat(teams.map((t) => [t.id, t.name])) },
        { name: "team_role", label: "Team role", type: "select", options: teamRoles },
      ], "Invite", async (values) => {
        const body = { organization_id: organization.id, email: values.email, role: values.role };
        if (values.team_id) {
          body.team_id = values.team_id;
          body.team_role = values.team_role;
        }
        const created = (await api("POST", "/v1/invitations", body)).data;
        const link = created.url ? new URL(created.url, location.origin).href : null;
        result.replaceChildren(link ? secret("Accept link for " + created.email, link) : secret("Invitation token for " + created.email, created.token));
        say("Invited " + created.email + ".");
        await refresh();
      }), result));
  }
  const filter = h("select", { id: "invitation-filter", "aria-label": "Show invitations" }, ["all", "pending", "accepted", "revoked", "expired"].map((s) => h("option", { value: s }, s)));
  const list = h("div");
  const render = () => {
    const shown = invitations.filter((i) => filter.value === "all" || i.status === filter.value);
    list.replaceChildren(table(["Email", "Role", "Team", "Status", "Expires", ""], shown.map((invitation) => {
      const team = teams.find((t) => t.id === invitation.team_id);
      const actions = h("td", { class: "actions" });
      if (invitation.status === "pending" && rights.can("invitation.revoke")) {
        actions.append(actionButton("Revoke", async () => {
          await api("POST", "/v1/invitations/" + invitation.id + "/revoke");
          say("Revoked the invitation of " + invitation.email + ".");
          await refresh();
        }, { danger: true, name: "revoke-invitation", confirmText: "Revoke the invitation of " + invitation.email + "? Its link stops working at once." }));
      }
      return h("tr", {}, h("td", {}, invitation.email), h("td", {}, invitation.role), h("td", {}, team ? team.name + " (" + invitation.team_role + ")" : "—"),
        h("td", {}, badge(invitation.status)), h("td", {}, date(invitation.expires_at)), actions);
    }), "No invitations to show."));
  };
  const refresh = async () => {
    invitations.splice(0, invitations.length, ...(await all("/v1/organizations/" + organization.id + "/invitations?limit=200")));
    render();
  };
  filter.addEventListener("change", render);
  view.append(h("h2", {}, "Invitations"), h("div", { class: "field filter" }, h("label", { for: "invitation-filter" }, "Status"), filter), list);
  render();
  return view;
}

// ---- Names for ids ------------------------------------------------------------------------

/// The names an organization's ids stand for (members, teams, keys), so pages speak of
/// people and teams rather than UUIDs, and the member and team lists they came from. What
/// the caller may not list stays an id.
async function directory(organization, rights) {
  const list = (permission, path) => (rights.can(permission) ? all(path) : Promise.resolve([]));
  const [members, teams, keys] = await Promise.all([
    list("member.read", "/v1/organizations/" + organization.id + "/members?limit=200"),
    list("team.read", "/v1/organizations/" + organization.id + "/teams?limit=200"),
    list("api_key.read", "/v1/api-keys?limit=200&organization_id=" + organization.id),
  ]);
  const names = { [organization.id]: organization.name };
  members.forEach((m) => (names[m.principal_id] = m.name || m.email || m.principal_id));
  teams.forEach((t) => (names[t.id] = t.name));
  keys.forEach((k) => (names[k.id] = k.name));
  return { names, members, teams };
}

/// A form's `from` and `to` dates (whole UTC days, `to` included) as the API's half-open period.
function period(values, parameters) {
  if (values.from) parameters.set("from", values.from + "T00:00:00Z");
  if (values.to) parameters.set("to", new Date(Date.parse(values.to + "T00:00:00Z") + 86400000).toISOString().replace(/\.\d+Z$/, "Z"));
  return parameters;
}

// ---- Audit log ----------------------------------------------------------------------------

const VERBS = { role_changed: "changed the role of", member_set: "set the team role of", member_removed: "removed from a team", failed: "failed" };

/// An audit record as a sentence: who did what to whom, with names where they are known.
function sentence(record, names) {
  const who = record.actor_id ? names[record.actor_id] || "principal " + record.actor_id : "someone unauthenticated";
  const [noun, verb] = record.action.includes(".") ? record.action.split(".", 2) : [record.action, ""];
  const target = record.target ? (names[record.target.id] || record.data.name || record.data.email || record.target.id) : null;
  const words = [who, VERBS[verb] || (verb || "").replace(/_/g, " "), noun.replace(/_/g, " ")];
  // The target's type only where the action's noun does not already say it.
  if (target && target !== who) words.push([noun, "principal"].includes(record.target.type) ? target : record.target.type + " " + target);
  const details = Object.entries(record.data || {})
    .filter(([key]) => key !== "name")
    .map(([key, value]) => key.replace(/_/g, " ") + " " + (names[value] || (typeof value === "object" ? JSON.stringify(value) : value)));
  return words.join(" ") + (details.length ? " (" + details.join(", ") + ")" : "") + ".";
}

async function tabAudit(organization, rights) {
  const { names, members } = await directory(organization, rights);
  const list = h("div");
  const pager = h("p");
  const view = h("div");
  let query = "";
  const cursors = [];
  const load = async (cursor) => {
    const envelope = await api("GET", "/v1/organizations/" + organization.id + "/audit-logs?limit=50" + query + (cursor ? "&cursor=" + encodeURIComponent(cursor) : ""));
    list.replaceChildren(table(["When", "What happened", "Outcome"], envelope.data.items.map((record) => h("tr", { "data-action": record.action },
      h("td", {}, date(record.created_at)), h("td", {}, sentence(record, names)), h("td", {}, badge(record.outcome)))), "No entries match."));
    pager.replaceChildren();
    if (cursors.length) pager.append(actionButton("Previous page", async () => { cursors.pop(); await load(cursors[cursors.length - 1]); }, { secondary: true }));
    const next = envelope.links && envelope.links.next && new URL(envelope.links.next, location.origin).searchParams.get("cursor");
    if (next) pager.append(actionButton("Next page", async () => { cursors.push(next); await load(next); }, { secondary: true }));
  };
  view.append(h("section", { class: "card" }, h("h2", {}, "Filter"), form([
    { name: "actor", label: "Actor", type: "select", options: [["", "Anyone"]].concat(members.map((m) => [m.principal_id, names[m.principal_id]])) },
    { name: "action", label: "Action", help: "Such as member.added" },
    { name: "outcome", label: "Outcome", type: "select", options: [["", "Any"], "success", "denied", "failure"] },
    { name: "from", label: "From", type: "date" },
    { name: "to", label: "Until (inclusive)", type: "date" },
  ], "Show", async (values) => {
    const parameters = new URLSearchParams();
    for (const key of ["actor", "action", "outcome"]) if (values[key]) parameters.set(key, values[key]);
    period(values, parameters);
    query = parameters.toString() ? "&" + parameters.toString() : "";
    cursors.length = 0;
    await load();
  })), list, pager);
  await load();
  return view;
}

// ---- Access explorer ----------------------------------------------------------------------

/// The permissions that apply to each stored resource type, as the served document states them.
async function permissionsByType() {
  const schema = (await openAPI()).components.schemas.LookupResourcesRequest;
  const byType = {};
  for (const option of (schema && schema.oneOf) || []) {
    const type = option.properties.resource_type.const;
    byType[type] = option.properties.permission.enum;
  }
  return byType;
}

async function tabAccess(organization, rights) {
  const [{ names, members, teams }, byType] = await Promise.all([directory(organization, rights), permissionsByType()]);
  const memberOptions = members.map((m) => [m.principal_id, (m.name || m.principal_id) + (m.email ? " <" + m.email + ">" : "")]);
  const resources = [["organization:" + organization.id, "Organization " + organization.name]].concat(teams.map((t) => ["team:" + t.id, "Team " + t.name]));
  const permissionOptions = [...new Set([...(byType.organization || []), ...(byType.team || [])])].sort();
  const reference = (value) => ({ type: value.split(":")[0], id: value.split(":")[1] });
  const describe = (on) => (on ? on.type + " " + (names[on.id] || on.id) : "");

  const decision = h("div", { "aria-live": "polite" });
  const holders = h("div", { "aria-live": "polite" });
  const abilities = h("div", { "aria-live": "polite" });
  const view = h("div", {},
    h("section", { class: "card" }, h("h2", {}, "May a member do this?"),
      form([
        { name: "subject", label: "Member", type: "select", options: memberOptions },
        { name: "permission", label: "Permission", type: "select", options: permissionOptions },
        { name: "resource", label: "Resource", type: "select", options: resources },
      ], "Check", async (values) => {
        const answer = (await api("POST", "/v1/authz/check", { subject: { type: "principal", id: values.subject }, permission: values.permission, resource: reference(values.resource), explain: true })).data;
        const verdict = answer.allowed
          ? "Allowed: " + names[values.subject] + " holds " + answer.reason.role + " on " + describe(answer.reason.on) + (answer.reason.via_team ? " through team " + (names[answer.reason.via_team] || answer.reason.via_team) : "") + "."
          : "Denied." + (answer.grantable_by && answer.grantable_by.length ? " It would be allowed by: " + answer.grantable_by.map((g) => g.role + " on " + describe(g.on)).join("; ") + "." : "");
        decision.replaceChildren(h("p", { class: answer.allowed ? "notice" : "error", id: "decision" }, verdict),
          h("details", {}, h("summary", {}, "How the evaluator decided"), h("ol", {}, (answer.trace || []).map((step) => h("li", {}, step)))));
      }), decision),
    h("section", { class: "card" }, h("h2", {}, "Who holds a permission here?"),
      form([
        { name: "permission", label: "Permission", type: "select", options: permissionOptions },
        { name: "resource", label: "Resource", type: "select", options: resources },
      ], "Look up", async (values) => {
        const found = [];
        let cursor = null;
        do {
          const body = { permission: values.permission, resource: reference(values.resource), limit: 200 };
          if (cursor) body.cursor = cursor;
          const page = (await api("POST", "/v1/authz/lookup-subjects", body)).data;
          found.push(...page.items);
          cursor = page.cursor;
        } while (cursor && found.length < 2000);
        holders.replaceChildren(found.length ? h("ul", { id: "holders" }, found.map((item) => h("li", {}, names[item.id] || item.id))) : h("p", { class: "muted" }, "Nobody."));
      }), holders),
    h("section", { class: "card" }, h("h2", {}, "What may a member do in " + organization.name + "?"),
      form([{ name: "subject", label: "Member", type: "select", options: memberOptions }], "Show", async (values) => {
        const permissions = byType.organization || [];
        const answer = (await api("POST", "/v1/authz/check-batch", {
          echo: false,
          checks: permissions.map((permission) => ({ subject: { type: "principal", id: values.subject }, permission, resource: { type: "organization", id: organization.id } })),
        })).data;
        const allowed = permissions.filter((_, index) => answer.results[index].allowed);
        abilities.replaceChildren(allowed.length ? h("ul", { id: "abilities" }, allowed.map((permission) => h("li", {}, permission))) : h("p", { class: "muted" }, "Nothing, organization-wide."));
      }), abilities));
  return view;
}

// ---- Usage --------------------------------------------------------------------------------

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attributes, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  element.append(...children);
  return element;
}

/// A horizontal bar chart (SVG attributes, so no inline style for the policy to refuse).
function barChart(groups, label) {
  const max = Math.max(1, ...groups.map((g) => g.cost));
  const row = 26;
  const chart = svg("svg", { viewBox: "0 0 600 " + (groups.length * row + 4), role: "img", "aria-label": label, class: "chart", width: "100%" });
  groups.forEach((group, index) => {
    const y = index * row + 2;
    const width = Math.max(2, Math.round((group.cost / max) * 360));
    chart.append(
      svg("text", { x: 0, y: y + 17, "font-size": 13 }, group.label.length > 24 ? group.label.slice(0, 23) + "…" : group.label),
      svg("rect", { x: 190, y, width, height: row - 6, fill: "#1f5fbf", rx: 3 }),
      svg("text", { x: 196 + width, y: y + 17, "font-size": 13 }, String(group.cost)));
  });
  return chart;
}

async function tabUsage(organization, rights) {
  const { names } = await directory(organization, rights);
  const output = h("div");
  const view = h("div", {}, h("section", { class: "card" }, form([
    { name: "group_by", label: "Group by", type: "select", options: [["provider", "Provider"], ["team", "Team"], ["day", "Day"]] },
    { name: "from", label: "From", type: "date" },
    { name: "to", label: "Until (inclusive)", type: "date" },
  ], "Show", async (values) => show(values))), output);
  const show = async (values) => {
    const parameters = period(values, new URLSearchParams({ group_by: values.group_by || "provider" }));
    const usage = (await api("GET", "/v1/organizations/" + organization.id + "/usage?" + parameters)).data;
    const groups = usage.groups.map((g) => ({ ...g, label: g.key === "none" ? "no team" : names[g.key] || g.key }));
    output.replaceChildren(
      h("p", {}, "Total: " + usage.total.cost + " (cost), " + usage.total.units + " units in " + usage.total.records + " records."),
      groups.length ? barChart(groups, "Cost by " + usage.group_by) : h("p", { class: "muted" }, "No usage in this period."),
      table(["Group", "Units", "Cost", "Records"], groups.map((g) => h("tr", {}, h("td", {}, g.label), h("td", {}, g.units), h("td", {}, g.cost), h("td", {}, g.records))), ""));
  };
  await show({ group_by: "provider" });
  return view;
}

// ---- API keys -----------------------------------------------------------------------------

async function keysView(organization, rights) {
  const path = organization ? "/v1/api-keys?limit=200&organization_id=" + organization.id : "/v1/api-keys?limit=200";
  const keys = await all(path);
  const manage = !organization || rights.can("api_key.manage");
  const permissions = await enumeration("Permission");
  const result = h("div");
  const view = h("div");
  if (!organization || rights.can("api_key.create")) {
    const fields = [
      { name: "name", label: "Name", required: true },
      { name: "scopes", label: "Scopes (optional)", help: "Permissions, separated by spaces (job.read job.create); empty for all " + (organization ? "of the role's" : "of yours") + "." },
      { name: "expires_at", label: "Expires (optional)", type: "date" },
    ];
    if (organization) fields.splice(1, 0, { name: "role", label: "Role", type: "select", options: rights.grantable_roles, value: rights.grantable_roles.includes("member") ? "member" : rights.grantable_roles[0] });
    view.append(h("section", { class: "card" }, h("h2", {}, organization ? "Create an organization key" : "Create a personal key"),
      form(fields, "Create key", async (values) => {
        const body = { name: values.name };
        if (organization) {
          body.organization_id = organization.id;
          body.role = values.role;
        }
        if (values.scopes) body.scopes = values.scopes.split(/[\s,]+/).filter(Boolean);
        if (values.expires_at) body.expires_at = new Date(values.expires_at + "T23:59:59Z").toISOString().replace(/\.\d+Z$/, "Z");
        const unknown = (body.scopes || []).filter((scope) => !permissions.includes(scope));
        if (unknown.length) throw new APIError(400, "validation_error", "", [{ field: "scopes", message: "unknown permissions: " + unknown.join(", ") }]);
        const created = (await api("POST", "/v1/api-keys", body)).data;
        result.replaceChildren(secret("API key " + created.name, created.key));
        say("Created " + created.name + ".");
        await refresh();
      }, { fieldMap: { "scopes[0]": "scopes", "scopes[1]": "scopes" } }), result));
  }
  const list = h("div");
  const render = () => {
    list.replaceChildren(table(["Name", "Prefix", "Role", "Scopes", "Status", "Expires", "Last used", ""], keys.map((key) => {
      const actions = h("td", { class: "actions" });
      if (manage && key.status !== "revoked") {
        // A key is rotated once; its replacement is the one to rotate next.
        if (!key.replaced_by) actions.append(actionButton("Rotate", async () => {
          const grace = window.prompt("Rotate " + key.name + ": for how many seconds should the old key keep working? (0 to 604800)", "3600");
          if (grace === null) return;
          const rotated = (await api("POST", "/v1/api-keys/" + key.id + "/rotate", { grace_period_seconds: Number(grace) })).data;
          result.replaceChildren(secret("New key for " + rotated.name, rotated.key));
          say("Rotated " + key.name + ".");
          await refresh();
        }, { secondary: true, name: "rotate" }));
        if (key.status === "disabled") {
          actions.append(actionButton("Enable", async () => {
            await api("POST", "/v1/api-keys/" + key.id + "/enable");
            await refresh();
          }, { secondary: true, name: "enable" }));
        } else {
          actions.append(actionButton("Disable", async () => {
            await api("POST", "/v1/api-keys/" + key.id + "/disable");
            await refresh();
          }, { secondary: true, name: "disable", confirmText: "Disable " + key.name + "? Calls with it are refused until it is enabled again." }));
        }
        actions.append(actionButton("Revoke", async () => {
          await api("DELETE", "/v1/api-keys/" + key.id);
          say("Revoked " + key.name + ".");
          await refresh();
        }, { danger: true, name: "revoke", confirmText: "Revoke " + key.name + "? It stops working at once, everywhere, for good." }));
      }
      return h("tr", { "data-key": key.id }, h("td", {}, key.name), h("td", {}, h("code", {}, key.prefix)), h("td", {}, key.role || "—"),
        h("td", {}, key.scopes ? key.scopes.join(" ") : "all"), h("td", {}, badge(key.status)), h("td", {}, date(key.expires_at)),
        h("td", {}, date(key.last_used_at)), actions);
    }), "No keys."));
  };
  const refresh = async () => {
    keys.splice(0, keys.length, ...(await all(path)));
    render();
  };
  view.append(h("h2", {}, "Keys"), list);
  render();
  return view;
}

function tabOrganizationKeys(organization, rights) {
  return keysView(organization, rights);
}

async function pageKeys() {
  return h("div", {}, h("h1", {}, "My API keys"), h("p", { class: "muted" }, "Personal keys act as you, narrowed to their scopes."), await keysView(null, null));
}

// ---- Invitations, from the invitee's side -------------------------------------------------

async function pageAccept(id, token) {
  const view = h("section", { class: "card" }, h("h1", {}, "Accept an invitation"),
    h("p", {}, "Signed in as ", h("strong", {}, me.email || me.name || me.id), ". The invitation is bound to an email address: sign in as its invitee to accept it."));
  view.append(form([], "Accept invitation", async () => {
    const accepted = (await api("POST", "/v1/invitations/" + encodeURIComponent(id) + "/accept", { token })).data;
    say("Welcome: you are a " + accepted.role + " now.");
    location.hash = "#/organizations/" + accepted.organization_id;
  }));
  return view;
}

// ---- Routing ------------------------------------------------------------------------------

async function route() {
  const hash = location.hash || "#/";
  const parts = hash.slice(2).split("/").filter(Boolean).map(decodeURIComponent);
  const container = main();
  if (parts[0] !== "sign-in" && !credential()) {
    sessionStorage.setItem(NEXT, hash);
    location.hash = "#/sign-in";
    return;
  }
  container.setAttribute("aria-busy", "true");
  try {
    if (credential() && !me) {
      me = await data("/v1/me");
      renderNav();
    }
    let page;
    if (parts[0] === "sign-in") page = await pageSignIn();
    else if (parts[0] === "organizations" && parts[1]) page = await pageOrganization(parts[1], parts[2]);
    else if (parts[0] === "teams" && parts[1]) page = await pageTeam(parts[1]);
    else if (parts[0] === "keys") page = await pageKeys();
    else if (parts[0] === "accept" && parts[1] && parts[2]) page = await pageAccept(parts[1], parts[2]);
    else page = await pageOrganizations();
    container.replaceChildren(page);
    document.title = (container.querySelector("h1") || { textContent: "" }).textContent + " · authz console";
  } catch (error) {
    container.replaceChildren(h("h1", {}, error.status === 404 ? "Not found" : "Something went wrong"), errorBox(error), h("p", {}, h("a", { href: "#/" }, "Back to your organizations")));
  } finally {
    container.removeAttribute("aria-busy");
    container.setAttribute("data-ready", String(++route.count));
  }
}
route.count = 0;

window.addEventListener("hashchange", () => {
  route().then(() => main().focus());
});
window.addEventListener("unhandledrejection", (event) => {
  say("Unexpected error: " + (event.reason && event.reason.message));
});
route();
