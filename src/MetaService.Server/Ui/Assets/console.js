// MetaService console: live rows on the functions page. The page says which rows it shows (its search, kind, runtime
// and the key range of this page); the server's watch of the tenant's functions (/ui/live, Server-Sent Events) says
// what changed after the page was read. A change to a row shown updates it; a new version that this page would list is
// inserted in key order; a deleted one is removed. No reload, no framework.
(function () {
  "use strict";

  var table = document.getElementById("functions");
  if (!table || !window.EventSource) {
    return;
  }

  var body = table.tBodies[0];
  var status = document.getElementById("live-status");
  var empty = document.getElementById("no-rows");
  var template = document.getElementById("row-template");
  var page = {
    search: table.dataset.search || "",
    kind: table.dataset.kind || "",
    runtime: table.dataset.runtime || "",
    after: table.dataset.after || null,
    next: table.dataset.next || null
  };

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function keyOf(name, version) {
    return name + "/" + version;
  }

  function find(key) {
    for (var i = 0; i < body.rows.length; i++) {
      if (body.rows[i].dataset.key === key) {
        return body.rows[i];
      }
    }
    return null;
  }

  // Whether this page lists the version: it passes the page's filters and sorts inside the page's key range.
  function listed(f, order) {
    return (page.search === "" || f.name.indexOf(page.search) >= 0)
      && (page.kind === "" || (f.kind || "") === page.kind)
      && (page.runtime === "" || f.runtime === page.runtime)
      && (page.after === null || order > page.after)
      && (page.next === null || order <= page.next);
  }

  function link(f) {
    var draft = f.versionNumber === "latest" || f.versionNumber === "$latest";
    return "/ui/functions/" + encodeURIComponent(f.name) + (draft ? "" : "?version=" + encodeURIComponent(f.versionNumber));
  }

  function fill(row, f) {
    var values = {
      name: f.name,
      version: f.versionNumber,
      kind: f.kind || "",
      runtime: f.runtime,
      cpu: String(f.cpu),
      memory: String(f.memory),
      status: f.status,
      updated: f.updateTime || f.createTime
    };
    row.querySelectorAll("[data-field]").forEach(function (cell) {
      var value = values[cell.dataset.field];
      if (value !== undefined && cell.textContent !== value) {
        cell.textContent = value;
      }
    });
    row.querySelector("a[data-field='name']").setAttribute("href", link(f));
    row.classList.add("changed");
    window.setTimeout(function () { row.classList.remove("changed"); }, 2500);
  }

  function put(f) {
    var key = keyOf(f.name, f.versionNumber);
    var order = (f.productId || "") + "/" + f.name + "/" + f.versionNumber + "/";
    var row = find(key);
    if (row) {
      if (listed(f, row.dataset.order || order)) {
        fill(row, f);
        say("Updated " + key + ".");
      } else {
        remove(key);
      }
      return;
    }
    if (!listed(f, order)) {
      return;
    }
    row = template.content.firstElementChild.cloneNode(true);
    row.dataset.key = key;
    row.dataset.order = order;
    var before = null;
    for (var i = 0; i < body.rows.length; i++) {
      if ((body.rows[i].dataset.order || "") > order) {
        before = body.rows[i];
        break;
      }
    }
    body.insertBefore(row, before);
    fill(row, f);
    if (empty) {
      empty.hidden = true;
    }
    say("Added " + key + ".");
  }

  function remove(key) {
    var row = find(key);
    if (row) {
      row.remove();
      say("Removed " + key + ".");
    }
    if (empty && body.rows.length === 0) {
      empty.hidden = false;
    }
  }

  var source = new EventSource("/ui/live?since=" + encodeURIComponent(table.dataset.revision || ""));
  source.addEventListener("open", function () { say("Live updates on: changes by others appear here."); });
  source.addEventListener("put", function (e) { put(JSON.parse(e.data)); });
  source.addEventListener("delete", function (e) {
    var d = JSON.parse(e.data);
    remove(keyOf(d.name, d.version));
  });
  source.addEventListener("error", function (e) {
    if (e.data) {
      // The server ended the stream with a reason: the session's token was revoked or expired (401), or it fell behind.
      source.close();
      var code = 0;
      try { code = JSON.parse(e.data).code; } catch (ignored) { code = 0; }
      say(code === 401
        ? "Live updates stopped: your session has ended (its token was revoked or expired); sign in again."
        : "Live updates stopped: reload the page to see the current rows.");
    } else if (source.readyState === EventSource.CLOSED) {
      say("Live updates stopped (signed out?): reload the page.");
    } else {
      say("Live updates reconnecting…");
    }
  });
  document.body.dataset.live = "on";
})();

// The alias weights editor: the bars and the sum follow the inputs as they are typed (the server still decides).
(function () {
  "use strict";

  var form = document.getElementById("weights-form");
  var total = document.getElementById("weights-total");
  if (!form || !total) {
    return;
  }

  var inputs = form.querySelectorAll("input.weight-input");

  function update() {
    var sum = 0;
    inputs.forEach(function (input) {
      var value = parseInt(input.value, 10);
      value = isNaN(value) ? 0 : value;
      sum += value;
      var bar = form.querySelector("rect[data-bar='" + input.id + "']");
      if (bar) {
        bar.setAttribute("width", String(Math.max(0, Math.min(100, value))));
      }
    });
    total.textContent = String(sum);
    total.parentNode.classList.toggle("off", sum !== 100);
  }

  inputs.forEach(function (input) { input.addEventListener("input", update); });
  update();
})();