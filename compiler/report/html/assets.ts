// The page's only stylesheet and script, inline so the page needs nothing but itself. The CSP of
// the page admits exactly these two by hash (page.ts), so nothing else can run or style it.

export const STYLE = `
:root{color-scheme:light dark;--fg:#1b1f24;--bg:#fff;--muted:#57606a;--line:#d0d7de;--track:#eaeef2;--hi:#8fb8e8;--lo:#1f5fae;--warn:#9a6700;--err:#b3261e;--focus:#0b57d0;--s0:#1f5fae;--s1:#e08a00;--s2:#2e7d32;--s3:#8e24aa}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#9da7b3;--line:#30363d;--track:#21262d;--hi:#2f5d8f;--lo:#79b0f0;--warn:#d29922;--err:#f85149;--focus:#79b0f0}}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header,main,footer{max-width:72rem;margin:0 auto;padding:0 1rem}
h1{font-size:1.6rem;margin:1rem 0 .25rem}h2{font-size:1.3rem;margin:2rem 0 .5rem;border-bottom:1px solid var(--line)}h3{font-size:1.1rem;margin:1.25rem 0 .25rem}h4{font-size:1rem;margin:1rem 0 .25rem}
a{color:var(--focus)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-100vw}.skip:focus{left:1rem;top:.5rem;background:var(--bg);padding:.25rem .5rem;z-index:1}
nav ul{list-style:none;padding:0;margin:.5rem 0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
.search{position:sticky;top:0;background:var(--bg);padding:.5rem 0;border-bottom:1px solid var(--line);z-index:1;display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
.search input{font:inherit;padding:.3rem .5rem;min-width:min(24rem,100%);border:1px solid var(--muted);border-radius:4px;background:var(--bg);color:var(--fg)}
.muted,.search output{color:var(--muted)}
table{border-collapse:collapse;width:100%;margin:.25rem 0}th,td{text-align:left;vertical-align:top;padding:.25rem .5rem;border-bottom:1px solid var(--line)}
th[scope=row]{white-space:nowrap;font-weight:600;width:9rem}
.meter{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem .75rem}
.bar{width:16rem;max-width:100%;height:1rem;flex:none;border:1px solid var(--muted);background:var(--track);print-color-adjust:exact;-webkit-print-color-adjust:exact}
.bar rect{height:100%}.hi{fill:var(--hi)}.lo{fill:var(--lo)}
.over .hi{fill:url(#hatch)}.over span{font-weight:700;color:var(--err)}
.bar.split{width:10rem;display:inline-block;vertical-align:middle}.pl{border-top:1px solid var(--line);padding-top:.25rem;margin:.25rem 0;white-space:pre-line}.s0{fill:var(--s0)}.s1{fill:url(#dots)}.s2{fill:var(--s2)}.s3{fill:var(--s3)}.split rect+rect{stroke:var(--bg);stroke-width:2px}
.key{display:inline-block;width:1rem;height:.8rem;vertical-align:middle;border:1px solid var(--muted)}.key.lo{background:var(--lo)}.key.hi{background:var(--hi)}
.bad{color:var(--err);font-weight:600}.ok{color:inherit}
.sev-error{color:var(--err);font-weight:700}.sev-warning{color:var(--warn);font-weight:700}
details{border:1px solid var(--line);border-radius:6px;margin:.4rem 0;padding:.25rem .75rem}
.fleet details.m,.fleet details.t{content-visibility:auto;contain-intrinsic-size:auto 2.2rem}
summary{cursor:pointer;padding:.25rem 0}summary span{color:var(--muted)}summary h3{display:inline;font-size:1rem;margin:0}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:1rem}
.cards>div{border:1px solid var(--line);border-radius:6px;padding:.5rem .75rem}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
pre{margin:.25rem 0;white-space:pre-wrap;overflow-wrap:anywhere;background:var(--track);padding:.25rem .5rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.25rem 0}dt{color:var(--muted)}dd{margin:0}
[hidden]{display:none!important}
.defs{position:absolute}
@media (forced-colors:active){.bar{border-color:CanvasText;background:Canvas}.hi,.s0,.s1,.s2,.s3{fill:CanvasText}.lo{fill:Highlight}}
@media print{.search,.skip{display:none}details{break-inside:avoid;content-visibility:visible!important}}
`.trim();

/**
 * The search box: hides the models and tenants whose text (names, tenant, groups, clusters,
 * versions, pool) does not contain every word typed, and says how many are left. It is the only
 * script on the page; without it the page reads the same. Texts are read once, on first use.
 */
export const SCRIPT = `
(function(){
var q=document.getElementById("q"),out=document.getElementById("count"),items=null,keys=null;
function run(){
if(!items){items=Array.prototype.slice.call(document.querySelectorAll("details.m,details.t"));keys=items.map(function(e){return e.textContent.toLowerCase()})}
var words=q.value.toLowerCase().split(/\\s+/).filter(Boolean),m=0,mt=0,t=0,tt=0;
for(var i=0;i<items.length;i++){var e=items[i],ok=true;
for(var j=0;j<words.length&&ok;j++)ok=keys[i].indexOf(words[j])>=0;
e.hidden=!ok;if(e.classList.contains("m")){mt++;if(ok)m++}else{tt++;if(ok)t++}}
out.textContent=words.length?"Showing "+m+" of "+mt+" models and "+t+" of "+tt+" tenants":"";}
q.addEventListener("input",run);
if(q.value)run();
})();
`.trim();
