/**
 * The fleet report as one self-contained HTML file (no network: inline CSS and JS): totals first,
 * then one table per stack, sortable (click a heading) and filterable (the box filters every row;
 * "failing only" hides passing stacks). Each failing table says why it is production and the fix.
 */
import { BACKUP_LABEL, failing, finding } from "./findings";
import type { TableRow } from "./tables";
import { FleetResult, FleetStack } from "./types";

const esc = (s: unknown) =>
    String(s).replace(
        /[&<>"']/g,
        (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
    );

/** Escaped text in which the names the pack puts in backticks (properties, tags, stacks) become `<code>`. */
export const prose = (s: unknown) => esc(s).replace(/`([^`]+)`/g, "<code>$1</code>");

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#1b1f24;background:#fff}
h1{font-size:20px;margin:0 0 4px}.meta{color:#57606a;margin-bottom:16px}
.totals{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0 20px}
.card{border:1px solid #d0d7de;border-radius:8px;padding:8px 14px;min-width:110px}
.card b{display:block;font-size:22px}.card.bad b{color:#cf222e}.card.warn b{color:#9a6700}
.controls{margin:0 0 14px;display:flex;gap:14px;align-items:center}
input[type=search]{padding:6px 8px;width:320px;border:1px solid #d0d7de;border-radius:6px}
section{margin:0 0 22px}h2{font-size:16px;margin:0 0 6px}
.badge{font-size:12px;border-radius:10px;padding:1px 8px;margin-left:6px;color:#fff}
.failed{background:#cf222e}.passed{background:#1a7f37}.notread{background:#9a6700}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa;cursor:pointer;user-select:none}th:after{content:" \\2195";color:#8c959f}
td.no{color:#cf222e;font-weight:600}td.yes{color:#1a7f37}.level{font-weight:600}.mandatory{color:#cf222e}.advisory{color:#9a6700}
.none{color:#57606a}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f6f8fa;border-radius:4px;padding:0 3px}`;

const SCRIPT = `
(function(){
  var box=document.getElementById('filter'),only=document.getElementById('failing');
  function apply(){
    var q=box.value.toLowerCase();
    document.querySelectorAll('section.stack').forEach(function(sec){
      var hideStack=only.checked&&sec.dataset.failed!=='1';var any=false;
      sec.querySelectorAll('tbody tr').forEach(function(tr){
        var show=!q||tr.textContent.toLowerCase().indexOf(q)>=0||sec.dataset.name.toLowerCase().indexOf(q)>=0;
        tr.style.display=show?'':'none';if(show)any=true;
      });
      sec.style.display=(hideStack||(!any&&q&&sec.dataset.name.toLowerCase().indexOf(q)<0))?'none':'';
    });
  }
  box.addEventListener('input',apply);only.addEventListener('change',apply);
  document.querySelectorAll('th').forEach(function(th){
    th.addEventListener('click',function(){
      var table=th.closest('table'),tbody=table.tBodies[0],i=Array.prototype.indexOf.call(th.parentNode.children,th);
      var asc=th.dataset.asc!=='1';th.dataset.asc=asc?'1':'0';
      var rows=Array.prototype.slice.call(tbody.rows);
      rows.sort(function(a,b){var x=a.cells[i].textContent,y=b.cells[i].textContent;var n=parseFloat(x)-parseFloat(y);
        var c=isNaN(n)?x.localeCompare(y):n;return asc?c:-c;});
      rows.forEach(function(r){tbody.appendChild(r);});
    });
  });
})();`;

function row(t: TableRow): string {
    const production =
        t.production === true
            ? `yes: ${t.productionReason}`
            : t.production === "unknown"
              ? `unknown: ${t.productionReason}`
              : "no";
    const findings = t.findings.length
        ? t.findings
              .map(
                  (f) =>
                      `<div><span class="level ${esc(f.enforcementLevel)}">${esc(f.enforcementLevel)}</span> ${prose(finding(f.message))} <span class="none">(${esc(f.policyName)})</span></div>`,
              )
              .join("")
        : `<span class="none">none</span>`;
    return `<tr><td>${prose(t.subject)}</td><td>${prose(production)}</td><td class="${t.pitr === "disabled" ? "no" : t.pitr === "enabled" ? "yes" : ""}">${esc(t.pitr)}</td><td class="${t.backupPlan === "covered" ? "yes" : t.backupPlan === "not-covered" ? "no" : ""}">${esc(BACKUP_LABEL[t.backupPlan])}</td><td>${findings}</td></tr>`;
}

function stackSection(s: FleetStack): string {
    const bad = failing(s);
    const badge =
        s.exitCode === 1
            ? `<span class="badge failed">FAILED ${s.mandatory} mandatory</span>`
            : `<span class="badge passed">PASSED</span>`;
    const rows = s.tables.length
        ? [...bad, ...s.tables.filter((t) => !bad.includes(t))].map(row).join("\n")
        : `<tr><td colspan="5" class="none">no DynamoDB tables</td></tr>`;
    return `<section class="stack" data-name="${esc(s.name)}" data-failed="${bad.length > 0 ? 1 : 0}">
<h2>${esc(s.name)}${badge}</h2><div class="meta">${esc(s.location)} · ${s.resources} resources · ${s.tables.length} table(s)</div>
<table><thead><tr><th>Table</th><th>Production (why)</th><th>PITR</th><th>Backup plan</th><th>Findings and fix</th></tr></thead>
<tbody>${rows}</tbody></table></section>`;
}

export function renderHtml(result: FleetResult): string {
    const t = result.summary;
    const card = (label: string, n: number, cls = "") =>
        `<div class="card ${n > 0 ? cls : ""}"><b>${n}</b>${esc(label)}</div>`;
    const errors = result.errors.length
        ? `<section class="stack" data-name="not read" data-failed="1"><h2>Not read<span class="badge notread">${result.errors.length}</span></h2>
<table><thead><tr><th>Stack</th><th>Where</th><th>Problem</th></tr></thead><tbody>${result.errors
              .map(
                  (e) =>
                      `<tr><td>${esc(e.name)}</td><td>${esc(e.location)}</td><td>${prose(e.message)}</td></tr>`,
              )
              .join("")}</tbody></table></section>`
        : "";
    const ordered = [...result.stacks].sort(
        (a, b) => b.exitCode - a.exitCode || failing(b).length - failing(a).length,
    );
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>DynamoDB PITR fleet report</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body>
<h1>DynamoDB PITR fleet report</h1>
<div class="meta">Backend ${esc(result.backend)} · policy pack ${esc(result.policyPack.name)} ${esc(result.policyPack.version)} · ${esc(result.generatedAt)}</div>
<div class="totals">${card("stacks", t.stacks)}${card("failed", t.stacksFailed, "bad")}${card("not read", t.stacksNotRead, "warn")}${card("tables", t.tables)}${card("production tables", t.productionTables)}${card("without PITR", t.productionTablesWithoutPitr, "bad")}${card("without backups", t.productionTablesWithoutBackups, "bad")}${card("cannot verify", t.cannotVerify, "warn")}</div>
<div class="controls"><input type="search" id="filter" placeholder="Filter stacks and tables..."><label><input type="checkbox" id="failing"> failing only</label></div>
${errors}
${ordered.map(stackSection).join("\n")}
<script>${SCRIPT}</script>
</body></html>
`;
}
