/* polkg query page: YASGUI on /sparql with example queries, and a timeline and an actor network fed from /events.
   Everything is served by polkg itself: no request leaves the server's origin. */
"use strict";

const ORIGIN = window.location.origin;
const TYPE_NAMES = {
  Meeting: "meeting", PhoneCall: "phone call", Visit: "visit", Statement: "statement",
  VoteAbstention: "abstention", VoteFor: "vote for", VoteAgainst: "vote against", Veto: "veto",
};
const KIND_COLOURS = {
  person: "#9ecae1", country: "#a1d99b", organization: "#fdae6b", group: "#d9d9d9", place: "#bcbddc",
};

function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  return node;
}

function actorName(actor) {
  return actor.label || actor.iri.replace(/^.*[/#]/, "");
}

function eventKind(event) {
  return event.subtype || event.type;
}

function eventTitle(event) {
  const who = event.actors.filter((a) => a.role !== "body").map(actorName);
  return `${TYPE_NAMES[eventKind(event)] || eventKind(event)}: ${who.join(", ") || "?"}`;
}

/* ---- SPARQL editor ---- */

function startYasgui() {
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"]; // the others call lov.linkeddata.es
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: ORIGIN + "/sparql", method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: () => [{ endpoint: ORIGIN + "/sparql" }] },
    persistenceId: null,
    populateFromUrl: false,
  });
  return yasgui;
}

async function showExamples(yasgui) {
  const nav = document.getElementById("examples");
  const response = await fetch("/examples");
  if (!response.ok) return;
  const examples = await response.json();
  for (const example of examples) {
    const button = el("button", example.title, { type: "button", "data-example": example.name, title: example.description });
    button.addEventListener("click", () => {
      const tab = yasgui.getTab();
      tab.setQuery(example.query);
      tab.setName(example.title);
    });
    nav.appendChild(button);
  }
  const first = examples[0];
  if (first && !yasgui.getTab().getQuery().includes("pk:")) yasgui.getTab().setQuery(first.query);
}

/* ---- events: timeline and network ---- */

let timeline = null;
let network = null;

async function loadEvents(form) {
  const params = new URLSearchParams({ limit: "1000", distinct: "true" });
  for (const [key, value] of new FormData(form).entries()) if (value) params.set(key, value);
  const response = await fetch("/events?" + params.toString());
  const output = document.getElementById("event-count");
  if (!response.ok) {
    output.textContent = `error ${response.status}: ${(await response.json()).detail ?? ""}`;
    return;
  }
  const page = await response.json();
  const dated = page.items.filter((event) => event.date);
  output.textContent = `${page.total} events (${dated.length} shown on the timeline${page.total > page.items.length ? ", first " + page.items.length : ""})`;
  drawTimeline(dated);
  drawNetwork(page.items);
}

function drawTimeline(events) {
  const items = new vis.DataSet(events.map((event) => ({
    id: event.iri,
    content: eventTitle(event),
    start: event.date,
    className: eventKind(event),
    title: event.quote || event.resolution || event.topic || eventTitle(event),
  })));
  const byIri = new Map(events.map((event) => [event.iri, event]));
  if (timeline) timeline.destroy();
  timeline = new vis.Timeline(document.getElementById("timeline"), items, {
    stack: true, zoomMin: 1000 * 60 * 60 * 24 * 7, maxHeight: 400, orientation: "top", // days, not hours
  });
  timeline.on("select", ({ items: selected }) => {
    if (selected.length) showEvent(byIri.get(selected[0]));
  });
}

function drawNetwork(events) {
  const nodes = new Map();
  const edges = new Map();
  for (const event of events) {
    const actors = event.actors; // the voting body too: it links the voters of one resolution
    for (const actor of actors) {
      const node = nodes.get(actor.iri) || {
        id: actor.iri, label: actorName(actor), value: 0, qid: actor.qid,
        color: KIND_COLOURS[actor.kind] || "#eeeeee", title: actor.qid || "not linked to Wikidata",
      };
      node.value += 1;
      nodes.set(actor.iri, node);
    }
    const iris = [...new Set(actors.map((actor) => actor.iri))].sort();
    for (let i = 0; i < iris.length; i++) {
      for (let j = i + 1; j < iris.length; j++) {
        const key = iris[i] + " " + iris[j];
        const edge = edges.get(key) || { id: key, from: iris[i], to: iris[j], value: 0, events: [] };
        edge.value += 1;
        edge.events.push(eventKind(event));
        edges.set(key, edge);
      }
    }
  }
  for (const edge of edges.values()) edge.title = `${edge.value} event(s): ${[...new Set(edge.events)].join(", ")}`;
  if (network) network.destroy();
  network = new vis.Network(
    document.getElementById("network"),
    { nodes: new vis.DataSet([...nodes.values()]), edges: new vis.DataSet([...edges.values()]) },
    { nodes: { shape: "dot", scaling: { min: 8, max: 30 } }, edges: { scaling: { min: 1, max: 8 } },
      physics: { stabilization: { iterations: 200 } } },
  );
  const container = document.getElementById("network");
  container.dataset.ready = "false";
  network.once("stabilizationIterationsDone", () => {
    network.setOptions({ physics: false }); // laid out: keep the nodes where they are
    container.dataset.ready = "true";
  });
  network.on("selectNode", ({ nodes: selected }) => showActor(nodes.get(selected[0])));
}

function showEvent(event) {
  const box = document.getElementById("details");
  box.replaceChildren(el("strong", eventTitle(event)), el("span", ` ${event.date ?? ""} (${event.status ?? ""})`));
  const text = event.quote || event.resolution || event.topic;
  if (text) box.appendChild(el("blockquote", text));
}

async function showActor(node) {
  const box = document.getElementById("details");
  box.replaceChildren(el("strong", node.label));
  if (!node.qid) return;
  box.appendChild(el("span", " "));
  box.appendChild(el("a", node.qid, { href: `https://www.wikidata.org/wiki/${node.qid}`, target: "_blank", rel: "noopener" }));
  const lang = new FormData(document.getElementById("filters")).get("lang") || "en";
  const response = await fetch(`/actors/${node.qid}?lang=${lang}`);
  if (!response.ok) return;
  const actor = await response.json();
  const list = el("ul");
  for (const event of actor.events.filter((e) => !e.same_as)) list.appendChild(el("li", `${event.date ?? "undated"} — ${eventTitle(event)}`));
  box.appendChild(list);
}

/* ---- start ---- */

window.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("filters");
  form.addEventListener("submit", (submit) => { submit.preventDefault(); loadEvents(form); });
  if (typeof Yasgui === "undefined" || typeof vis === "undefined") {
    document.getElementById("missing-assets").hidden = false;
    return;
  }
  const yasgui = startYasgui();
  window.polkg = { yasgui };
  showExamples(yasgui);
  loadEvents(form);
});
