/** The page's inline style sheet (the CSP allows inline styles only): compact rows, sticky headers, one colour per range kind. */
export const STYLE = `
:root{--pod:#2b7bb9;--service:#7b4bb7;--node:#1f9d8a;--global:#c98a12;--nr:#9ab8d6;--bad:#d11;--fg:#1d1f21;--mut:#666;--bg:#fff;--line:#ddd}
*{box-sizing:border-box}
body{font:13px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0 16px 40px}
header{position:sticky;top:0;background:var(--bg);border-bottom:1px solid var(--line);padding:6px 0;z-index:5;display:flex;gap:16px;align-items:baseline;flex-wrap:wrap}
header h1{font-size:17px;margin:0}
nav a{margin-right:10px}
h2{font-size:15px;margin:18px 0 6px;border-bottom:1px solid var(--line)}
h3{font-size:14px;margin:14px 0 4px}
h4{font-size:13px;margin:10px 0 4px}
h5{font-size:12px;margin:0 0 4px;color:var(--mut)}
.count{font-weight:normal;color:var(--mut);font-size:12px}
.ok{color:#197a2e}.bad{color:var(--bad)}.none{color:var(--mut)}
.cl{font-weight:600}.loc{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;color:#333}
figure.map{margin:6px 0;overflow-x:auto}
figcaption{color:var(--mut);font-size:12px}
svg text{font:11px system-ui,sans-serif;fill:#222}
svg .rl{text-anchor:end}
svg .tl{font-size:10px;fill:#555}
svg .tl.end{text-anchor:end}
svg .gap{font-size:12px;text-anchor:middle;fill:#999}
svg .tick{stroke:#eee}
svg .rowbg{fill:transparent}
svg .row:nth-child(odd) .rowbg{fill:#fafafa}
svg .bar{stroke:#0003;stroke-width:.5}
svg .bl{font-size:9.5px;fill:#fff;pointer-events:none}
svg .k-pod{fill:var(--pod)}svg .k-service{fill:var(--service)}svg .k-node{fill:var(--node)}svg .k-global{fill:var(--global)}
svg .k-native-routing{fill:var(--nr);fill-opacity:.55}
svg .default{stroke-dasharray:3 2;stroke:#000;stroke-width:1;fill-opacity:.55}
svg .ov{stroke:var(--bad);stroke-width:2}
svg .overlap{fill:#d1111122;stroke:var(--bad);stroke-width:2}
svg .gn-range{fill:#f3e3c0;stroke:var(--global)}
svg .gn-free{fill:#bfe6c4;stroke:#3a9a4a;stroke-width:.5}
svg .gn-next{fill:none;stroke:#000;stroke-width:1.5;stroke-dasharray:4 2}
svg .hl{stroke:#000;stroke-width:2}
.overlaps li{margin:2px 0}
.legend span,.matrix td{font-family:ui-monospace,Menlo,Consolas,monospace}
.legend span{display:inline-block;width:16px;text-align:center;border-radius:2px}
.kinds span{display:inline-block;width:12px;height:10px;margin:0 3px 0 8px;vertical-align:middle}
.matrix-wrap{max-height:70vh;overflow:auto;border:1px solid var(--line)}
table{border-collapse:collapse}
.matrix th,.matrix td{border:1px solid #eee;padding:0;font-size:11px}
.matrix td{width:18px;min-width:18px;height:16px;text-align:center}
.matrix td a{display:block;color:inherit;text-decoration:none}
.matrix tbody th{position:sticky;left:0;background:#fff;text-align:left;font-weight:normal;padding:0 6px;white-space:nowrap;z-index:1}
.matrix thead th{position:sticky;top:0;background:#fff;z-index:2}
.matrix th.corner{left:0;z-index:3;vertical-align:bottom;color:var(--mut);font-weight:normal;padding:2px 6px}
.matrix th.vert span{writing-mode:vertical-rl;transform:rotate(180deg);display:inline-block;max-height:120px;overflow:hidden;padding:3px 0;font-weight:normal;white-space:nowrap}
.matrix th.vert.hl{background:#ffe}
.s-E{background:#d8ecff}.s-I{background:#e8f6e8}.s-C{background:#ffb3b3;color:#700;font-weight:bold}.s-D{background:#ffd9a8;color:#730;font-weight:bold}.s-R{background:#e4e4e4;color:#555}
.matrix tr.bad-row th{color:var(--bad)}
.mesh{border:1px solid var(--line);border-radius:6px;padding:6px 8px;margin:6px 0}
.networks{display:flex;gap:6px;align-items:stretch;flex-wrap:wrap}
.network{border:1px dashed #bbb;border-radius:4px;padding:4px 6px;flex:1 1 300px}
.joiner{align-self:center;text-align:center;color:var(--mut);font-size:11px}
.chips{display:flex;flex-wrap:wrap;gap:3px}
.chip{border:1px solid #ccd;border-radius:4px;padding:1px 5px;background:#f7f8fb;font-size:12px}
.chip.hl{background:#ffe;border-color:#000}
.b{display:inline-block;border-radius:3px;padding:0 4px;background:#eef;font-size:11px}
.b.default{background:#f2f2f2;color:#666;font-style:italic}.b.gw{background:#dff3e3}.b.warn{background:#ffe9c2}.b.sm{background:#fdf0d5}.b.cm{background:#e1ecfa}
.links li{margin:2px 0}
.filters{margin:4px 0 6px}
.filters select{max-width:280px}
table.findings{width:100%}
table.findings th{text-align:left;border-bottom:1px solid #ccc;position:sticky;top:34px;background:#fff}
table.findings td{vertical-align:top;padding:3px 6px;border-bottom:1px solid #eee}
table.findings tr.sev2 .sev{color:var(--bad);font-weight:600}table.findings tr.sev1 .sev{color:#b26b00;font-weight:600}table.findings tr.sev0 .sev{color:var(--mut)}
tr:target td,li:target{background:#fff6bf}
.hint{color:#555;font-size:12px;margin-top:2px}
.rel{margin:2px 0 0;padding-left:16px}
table.ranges td,table.ranges th{padding:1px 6px;border-bottom:1px solid #eee;text-align:left}
section.set{margin-bottom:20px}
[id]{scroll-margin-top:48px}
`;
