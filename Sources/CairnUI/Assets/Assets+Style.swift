extension Assets {
    /// The whole stylesheet: a light theme with WCAG AA contrast and visible focus.
    static let css = """
        :root { --fg: #1f2328; --muted: #57606a; --bg: #f6f8fa; --card: #fff; --line: #d0d7de; --accent: #0969da;
          --accent-fg: #fff; --danger: #cf222e; --diff: #fff8c5; font-family: system-ui, -apple-system, "Segoe UI",
          Roboto, "Noto Sans", sans-serif; font-size: 15px; color: var(--fg); background: var(--bg); }
        * { box-sizing: border-box; }
        body { margin: 0; line-height: 1.45; }
        a { color: var(--accent); text-decoration: none; }
        a:hover { text-decoration: underline; }
        :focus-visible { outline: 3px solid #0969da; outline-offset: 2px; }
        code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
        .skip { position: absolute; left: -999px; top: 0; background: var(--card); padding: 8px; z-index: 10; }
        .skip:focus { left: 8px; }
        .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        .top { display: flex; align-items: center; gap: 24px; padding: 10px 24px; min-height: 50px; background: #24292f;
          color: #fff; }
        .top a { color: #fff; }
        .brand { font-weight: 700; font-size: 1.15rem; }
        .logo { color: #7ee787; }
        .top nav { display: flex; gap: 16px; }
        .top nav a { padding: 4px 8px; border-radius: 6px; }
        .top nav a[aria-current="page"] { background: rgba(255,255,255,0.16); }
        .crumbs { padding: 10px 24px 0; display: flex; gap: 8px; color: var(--muted); flex-wrap: wrap; }
        main { padding: 12px 24px 40px; max-width: 1400px; }
        h1 { font-size: 1.5rem; margin: 8px 0 4px; }
        h2 { font-size: 1.1rem; margin: 0 0 10px; }
        .page-head { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: 12px;
          margin-bottom: 12px; }
        .page-head p { width: 100%; margin: 0; }
        .muted { color: var(--muted); font-weight: normal; }
        .small { font-size: 0.85rem; }
        .empty { color: var(--muted); font-style: italic; }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px;
          margin-bottom: 16px; }
        .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 16px; }
        .cards > .card { margin-bottom: 0; }
        .cards + * { margin-top: 16px; }
        .small-multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 12px; }
        input, select, button, .button { font: inherit; padding: 6px 10px; border: 1px solid var(--line);
          border-radius: 6px; background: #fff; color: var(--fg); }
        button, .button { background: var(--accent); color: var(--accent-fg); border-color: var(--accent);
          cursor: pointer; font-weight: 600; display: inline-block; }
        button:hover, .button:hover { background: #0550ae; text-decoration: none; }
        button.small, .button.small { padding: 3px 8px; font-size: 0.85rem; }
        button.danger { background: #fff; color: var(--danger); border-color: var(--danger); }
        button.danger:hover { background: var(--danger); color: #fff; }
        form.inline { display: inline-flex; gap: 8px; align-items: center; flex-wrap: wrap; }
        .filter { margin-bottom: 12px; }
        .filter label { display: block; margin-bottom: 4px; font-weight: 600; }
        .filter .row { display: flex; gap: 8px; }
        .filter input[type=search] { flex: 1; font-family: ui-monospace, Menlo, Consolas, monospace; }
        .filter p { margin: 6px 0 0; }
        .error { color: #a40e26; background: #ffebe9; border: 1px solid #ff8182; border-radius: 6px; padding: 8px 12px;
          margin: 8px 0 0; }
        input[aria-invalid="true"] { border-color: var(--danger); }
        .columns summary { cursor: pointer; font-weight: 600; }
        .column-groups { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 12px;
          margin: 10px 0; }
        fieldset { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; margin: 0; }
        legend { font-weight: 600; padding: 0 4px; }
        label.check { display: block; }
        .table-wrap { overflow-x: auto; background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
        table.grid { border-collapse: collapse; width: 100%; background: var(--card); }
        .card table.grid, .table-wrap table.grid { border: 0; }
        body > main > table.grid { border: 1px solid var(--line); border-radius: 8px; margin-bottom: 16px; }
        .grid th, .grid td { padding: 6px 10px; border-bottom: 1px solid #eaeef2; text-align: left; vertical-align: top; }
        .grid thead th { background: #f6f8fa; font-weight: 600; position: sticky; top: 0; white-space: nowrap; }
        .grid th a { color: var(--fg); }
        .grid tbody tr:hover { background: #f6f8fa; }
        .grid .num { text-align: right; font-variant-numeric: tabular-nums; }
        .grid.kv th { width: 40%; font-weight: 600; word-break: break-all; }
        .grid td, .wrap { word-break: break-word; }
        .runs-table td.name { white-space: nowrap; }
        tr.child td:nth-child(2) { padding-left: 34px; }
        tr.child { background: #fbfcfd; }
        .toggle { padding: 0 6px; font-size: 0.8rem; background: #eaeef2; color: var(--fg); border-color: var(--line); }
        .toggle:hover { background: #d0d7de; }
        .toolbar { display: flex; align-items: center; justify-content: space-between; margin: 8px 0; }
        .toolbar p { margin: 0; }
        .actions { display: flex; gap: 8px; align-items: flex-start; }
        .rename summary { cursor: pointer; color: var(--accent); }
        .rename form { display: flex; gap: 6px; margin-top: 6px; align-items: center; }
        .rename label { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
        .pager { display: flex; justify-content: space-between; align-items: center; margin-top: 12px; }
        .pager input { width: 6em; }
        .badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 0.78rem; font-weight: 600;
          background: #eaeef2; color: #24292f; vertical-align: middle; }
        .badge-finished, .badge-ready, .badge-logged_model_ready, .badge-production { background: #dafbe1;
          color: #116329; }
        .badge-failed, .badge-killed, .badge-failed_registration { background: #ffebe9; color: #a40e26; }
        .badge-running, .badge-staging, .badge-pending_registration { background: #ddf4ff; color: #0550ae; }
        .badge-archived { background: #eaeef2; color: #57606a; }
        .alias { display: inline-block; padding: 0 6px; border-radius: 6px; background: #fbefff; color: #6639ba;
          font-size: 0.85rem; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
        dl.facts dt { color: var(--muted); }
        dl.facts dd { margin: 0; word-break: break-word; }
        .copy-line { display: flex; gap: 8px; align-items: center; margin: 12px 0 0; }
        .copy-line input { flex: 1; }
        svg.spark path { fill: none; stroke: var(--accent); stroke-width: 1.5; }
        ul.plain { list-style: none; padding: 0; margin: 0; }
        ul.plain li { padding: 4px 0; }
        .browser { display: grid; grid-template-columns: minmax(220px, 1fr) 3fr; gap: 16px; align-items: start; }
        ul.tree, ul.tree ul { list-style: none; padding-left: 16px; margin: 0; }
        ul.tree { padding-left: 0; }
        ul.tree li { padding: 2px 0; }
        ul.tree a[aria-current="page"] { font-weight: 700; background: #ddf4ff; border-radius: 4px; padding: 0 4px; }
        .preview-head { display: flex; gap: 12px; align-items: baseline; margin-bottom: 10px; }
        .preview-head h2 { margin: 0; word-break: break-all; }
        pre.text-preview { background: #f6f8fa; border: 1px solid var(--line); border-radius: 6px; padding: 12px;
          overflow: auto; max-height: 70vh; white-space: pre-wrap; word-break: break-word; }
        .artifact-image { max-width: 100%; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
        .artifact-html { width: 100%; height: 60vh; border: 1px solid var(--line); border-radius: 6px; }
        .legend { list-style: none; display: flex; flex-wrap: wrap; gap: 8px 18px; padding: 0; margin: 0 0 12px; }
        .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; margin-right: 6px;
          vertical-align: -1px; }
        .controls { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-end; }
        .controls fieldset label { margin-right: 8px; }
        .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); gap: 16px;
          margin-bottom: 16px; }
        figure.chart { position: relative; margin: 0; background: var(--card); border: 1px solid var(--line);
          border-radius: 8px; padding: 10px; }
        figure.chart.scatter { max-width: 720px; }
        figure.chart figcaption { font-weight: 600; margin-bottom: 4px; }
        figure.chart svg { width: 100%; height: auto; display: block; }
        .plot { fill: #fff; stroke: var(--line); }
        .grid-line { stroke: #eaeef2; }
        .tick { font-size: 11px; fill: #57606a; }
        path.line { fill: none; stroke-width: 1.8; }
        line.cursor { stroke: #57606a; stroke-dasharray: 3 3; }
        .tooltip { position: absolute; pointer-events: none; background: #24292f; color: #fff; padding: 6px 8px;
          border-radius: 6px; font-size: 0.8rem; white-space: nowrap; z-index: 5; }
        .tooltip b { display: block; }
        tr.diff { background: var(--diff); }
        tr.diff:hover { background: #fff1a8; }
        .error-page h1 { margin-top: 0; }
        td.best { background: #dafbe1; font-weight: 600; }
        figure.chart.bars, figure.chart.parallel { max-width: 940px; }
        rect.bar { opacity: 0.85; }
        line.axis { stroke: #8c959f; stroke-width: 1.2; }
        .axis-title { font-size: 12px; font-weight: 600; fill: var(--fg); }
        path.pc-line { stroke-width: 2; opacity: 0.75; }
        path.pc-line:hover { stroke-width: 3.5; opacity: 1; }
        .wide-chart figure.chart { border: 0; padding: 0; }
        .runs-table td, .runs-table th { white-space: nowrap; }
        .runs-table td.name { white-space: normal; min-width: 10rem; }
        .badge { white-space: nowrap; }
        .big-value { font-size: 1.6rem; margin: 8px 0; }
        .banner { background: #ffebe9; border: 1px solid #ff8182; border-radius: 8px; padding: 10px 14px; }
        .note { white-space: pre-wrap; margin-bottom: 8px; }
        textarea { font: inherit; width: 100%; box-sizing: border-box; padding: 6px 10px; border: 1px solid var(--line);
          border-radius: 6px; display: block; margin: 6px 0; }
        .copy-line textarea { flex: 1; margin: 0; }
        .tag-form { margin-top: 10px; flex-wrap: wrap; }
        pre.example { background: #f6f8fa; border: 1px solid var(--line); border-radius: 6px; padding: 12px;
          overflow-x: auto; max-height: 360px; }
        .autorefresh { margin: 4px 0 0; }
        .page-head .actions { margin-top: 6px; }
        td span[title] { border-bottom: 1px dotted var(--muted); cursor: help; }
        .top .account { margin-left: auto; display: flex; align-items: center; gap: 12px; }
        .top .account span { color: #d0d7de; font-weight: 600; }
        .top .account button { background: transparent; color: #fff; border-color: rgba(255,255,255,0.55);
          padding: 3px 12px; font-size: 0.9rem; }
        .top .account button:hover { background: rgba(255,255,255,0.16); }
        body:has(.login) main { max-width: none; }
        .card.login { max-width: 380px; margin: 12vh auto 0; padding: 24px 28px 28px;
          box-shadow: 0 8px 24px rgba(140,149,159,0.2); }
        .login h1 { margin: 0 0 12px; font-size: 1.35rem; }
        .login form { display: flex; flex-direction: column; }
        .login label { font-weight: 600; margin: 12px 0 4px; }
        .login input { width: 100%; }
        .login button { margin-top: 20px; padding: 8px 10px; }
        .login .error { margin: 4px 0 0; }
        @media (max-width: 800px) { .browser { grid-template-columns: 1fr; } main { padding: 12px; } }
        """
}
