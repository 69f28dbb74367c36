// Turns section results into the figures of issue 8: one row each, with its baseline and target.
import { median, round } from './util.mjs';

const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : String(x));
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : String(x));
const f3 = (x) => (Number.isFinite(x) ? x.toFixed(3) : String(x));

function row(id, figure, model, value, display, baseline, target, met, extra = {}) {
  return { id, figure, model, value: round(value, 4), display, baseline, target, met, ...extra };
}

export function engineFigures(label, e, { primary }) {
  const s = e.streaming;
  const rows = [
    row('1', 'Streaming: tok/s delivered to the webview ÷ node-llama-cpp in process', label, s.ratio,
      `${f3(s.ratio)} (${f1(s.hostTps)} vs ${f1(s.rawTps)} tok/s)`, `in-process LlamaChat, ${s.tokens} tokens × ${s.perRep.length}`,
      primary ? '≥ 0.98' : 'info', primary ? s.ratio >= 0.98 : null),
  ];
  const tg = s.tg;
  if (tg) {
    rows.push(row('1', 'Streaming: tok/s delivered ÷ llama-bench tg', label, tg.ratio, `${f3(tg.ratio)} (${f1(s.hostTps)} vs ${f1(tg.tps)} tok/s)`,
      `llama-bench -n ${tg.n} -d ${tg.depth} × ${tg.perRep.length}, interleaved; node-llama-cpp: bare decode loop ${f1(s.decodeTps)}, LlamaChat ${f1(s.rawTps)} tok/s`,
      primary ? '≥ 0.98' : 'info', primary ? tg.ratio >= 0.98 : null));
  }
  const t = e.ttft;
  rows.push(row('2', 'Time to first token added over node-llama-cpp (warm)', label, t.added, `${f1(t.added)} ms (${f1(t.host)} vs ${f1(t.raw)} ms)`,
    `in-process LlamaChat; ${t.promptTokens}-token prompt, last ${t.evaluated} new; × ${t.perRep.length}`, primary ? '≤ 20 ms' : 'info', primary ? t.added <= 20 : null));
  const two = e.turnTwo;
  rows.push(row('3', 'Turn 2: evaluated ÷ prompt tokens; evaluated − bound', label, two.extraIndependent,
    `${two.evaluated} / ${two.prompt2Tokens} = ${f3(two.ratio)}; extra ${two.extraIndependent} (worker's bound ${two.boundReported}, bench's ${two.boundIndependent})`,
    `turn 1 prompt ${two.prompt1Tokens} tokens, turn 2 prompt ${two.prompt2Tokens}`, primary ? '0 extra' : 'info',
    primary ? two.extraIndependent === 0 && two.extra === 0 : null));
  const st = e.stop;
  rows.push(row('5', 'Stop → reply settled (turnEnded posted); chunks after Stop', label, st.host,
    `${f1(st.host)} ms (max ${f1(st.hostMax)}), ${st.lateChunks} late chunks`, `in-process abort → settled ${f1(st.raw)} ms (host adds ${f1(st.added)})`,
    primary ? '≤ 100 ms, 0 chunks' : 'info', primary ? st.host <= 100 && st.lateChunks === 0 : null));
  return rows;
}

export function loadFigure(label, l, { primary }) {
  const ph = l.stepPhasesMs;
  return [row('7', 'Worker start + model load ÷ fresh Node getLlama() + loadModel', label, l.ratio,
    `${f3(l.ratio)}× (${f1(l.hostMs)} vs ${f1(l.baselineModelMs)} ms); ÷ the same baseline in the worker's environment ${f3(l.ratioHugePages)}× (${f1(l.baselineModelHugeMs)} ms); ÷ the worker's own steps in a bare process ${f3(l.ratioWorkerSteps)}×`,
    `forked process, getLlama + loadModel${l.draft ? ' (+ the draft)' : ''}, 4 KB pages: ${f1(l.baselineModelMs)} ms; the worker runs with glibc.malloc.hugetlb=1 + UV_THREADPOOL_SIZE=1 and patched node-llama-cpp (one model simulation, not two); worker's steps in a bare process in the same environment: ${f1(l.baselineStepsMs)} ms (getLlama ${f1(ph.getLlama)} with the file check beside it, ` +
      `loadModel ${f1(ph.loadModel)}, createContext ${f1(ph.createContext)} with the chat template resolved meanwhile, LlamaChat ${f1(ph.llamaChat)}${l.draft ? `, draft ${f1(ph.draft)}` : ''})`,
    primary ? '≤ 1.1×' : 'info', primary ? l.ratio <= 1.1 : null),
  ...(l.builtRatio === undefined ? [] : [row('7', 'Worker start + model load on the runtime built for this machine ÷ fresh Node getLlama() + loadModel (prebuilt)', label, l.builtRatio,
    `${f3(l.builtRatio)}× (${f1(l.builtMs)} vs ${f1(l.baselineModelMs)} ms)`,
    'same baseline as the row above; the worker gets the build of "Ponder: Build Runtime for This Machine" (no binary test process at start)',
    'info', null)])];
}

export function webviewFigure(w) {
  const panel = median(w.runs.panel.map((r) => r.all.task));
  const base = median(w.runs.baseline.map((r) => r.all.task));
  const reasoning = median(w.runs.panel.map((r) => r.reasoning.task));
  const answer = median(w.runs.panel.map((r) => r.answer.task));
  return [row('1', 'Webview render cost per token (headless Chromium, main-thread task time)', '—', panel,
    `${f2(panel)} ms/token (+${f2(panel - base)} over baseline; thinking ${f2(reasoning)}, answer ${f2(answer)})`,
    `page appending text to a div: ${f2(base)} ms/token; ${w.tokens.reasoning}+${w.tokens.answer} tokens`, 'reported', null)];
}

export function extHostFigures(runs) {
  const a = runs.map((r) => r.activation);
  const ponder = median(a.map((x) => x.ponderMs));
  const empty = median(a.map((x) => x.emptyMs));
  const moduleLoad = median(a.map((x) => x.moduleLoadMs));
  const rss = median(a.map((x) => x.rssAddedSettledMB));
  const heap = median(a.map((x) => x.heapAddedMB));
  const inHost = runs.some((r) => r.activation.nodeLlamaCppInHost || r.activation.llamaMapped || r.chat?.nodeLlamaCppInHost || r.chat?.llamaMapped);
  const chatRss = median(runs.map((r) => r.chat?.rssAddedMB));
  const sign = (x) => (x >= 0 ? `+${f1(x)}` : f1(x));
  const g = runs.flatMap((r) => r.gathering.runs);
  const total = median(g.map((x) => x.totalMs));
  const gather = median(g.map((x) => x.gatherMs));
  const pack = median(g.map((x) => x.packMs));
  const symbols = median(g.map((x) => x.symbolsMs));
  const providers = median(g.map((x) => x.providersMs));
  const sum = runs[0].gathering.summary;
  return [
    row('4', 'activate() time in the real extension host', 'VS Code 1.100.3', ponder,
      `${f1(ponder)} ms (+${f1(ponder - empty)} over an empty extension; loading the bundle alone ${f1(moduleLoad)} ms)`,
      `empty extension's activate(): ${f1(empty)} ms; ${a.length} hosts (${a.map((x) => x.ponderMs.toFixed(0)).join(', ')} ms)`, '≤ 25 ms', ponder <= 25),
    row('4', 'Host memory added by activation (RSS, 1 s after)', 'VS Code 1.100.3', rss, `${f1(rss)} MB (JS heap ${sign(heap)} MB)`,
      `RSS just before activate(); the first chat (worker started, panel opened) adds ${sign(chatRss)} MB more`, '≤ 20 MB', rss <= 20),
    row('4', 'node-llama-cpp loaded in the host (after activation and after a chat)', 'VS Code 1.100.3', inHost ? 1 : 0, inHost ? 'LOADED' : 'no',
      '/proc/self/maps of the extension host', 'no', !inHost),
    row('6', 'Context gathering + packing, 10k-line file, warm providers', 'VS Code 1.100.3', total,
      `${f1(total)} ms (gather ${f1(gather)}, pack ${f2(pack)})`, `the provider requests alone (symbols + ${sum.identifiers} definitions): ${f1(providers)} ms, of which symbols ${f1(symbols)} ms; ${sum.definitions.length} definitions kept, prompt ${sum.promptTokens} tokens`,
      '≤ 50 ms', total <= 50),
  ];
}

export function editFigures(ed) {
  const rows = ed.cases.map((c) => row('6', `applyModelEdit, ${ed.lines}-line file: ${c.id}`, '—', c.ms,
    `${f2(c.ms)} ms warm, ${f2(c.uncachedMs)} ms uncached${c.correct ? '' : ` (WRONG RESULT: ${c.reason ?? 'text differs'})`}`,
    `exact indexOf+slice replace: ${f3(ed.baselineMs)} ms; warm = original's tree cached, uncached = file parsed in the call`,
    '≤ 50 ms', c.correct && c.ms <= 50));
  const s = ed.syntax;
  if (s) {
    rows.push(row('6', `Parse the ${ed.lines}-line file (tree-sitter TypeScript): cold / warm / cached`, '—', s.parseWarmMs,
      `${f1(s.parseColdMs)} ms cold (first parse in the process), ${f1(s.parseWarmMs)} ms warm, ${f3(s.cacheHitMs)} ms cached`,
      `loadSyntax (runtime + 9 grammars): ${f1(s.loadMs)} ms, once`, 'reported', null));
  }
  return rows;
}

export function lostWindowFigure(l) {
  const ms = median(l.runs);
  return [row('8', 'Browser page lost mid-thought → generation stopped (aborted)', 'tiny', ms,
    `${f1(ms / 1000)} s (${l.runs.map((x) => (x / 1000).toFixed(1)).join(', ')} s)`,
    `designed bound: ${l.liveness.quietMs / 1000} s quiet + ${l.liveness.probeTimeoutMs / 1000} s round-trip timeout + ${l.liveness.heartbeatMs / 1000} s check interval; before: ran until a budget or the grace time`,
    `≤ ${l.bound / 1000} s`, ms <= l.bound)];
}

export function repomapFigures(m) {
  const c = m.cold;
  const base = `${m.files} source files from node_modules (${(m.bytes / 1e6).toFixed(1)} MB): ${c.stats.files} indexed, skipped ${JSON.stringify(c.stats.skipped)}`;
  const r = m.render;
  return [
    row('9', 'Repository map: cold build (new thread, no cache)', '—', c.ms, `${(c.ms / 1000).toFixed(2)} s for ${c.stats.files} files (${c.stats.definitions} definitions); the map thread's CPU time ${(c.stats.cpuMs / 1000).toFixed(2)} s`, base, '≤ 10 s / 2,000 files', c.ms <= 10_000 * (c.stats.files / 2000)),
    row('9', 'Repository map: warm build (new thread, per-file cache on disk)', '—', m.warmUnchanged.ms, `${(m.warmUnchanged.ms / 1000).toFixed(2)} s, thread CPU ${(m.warmUnchanged.cpuMs / 1000).toFixed(2)} s (after ${m.update.perRep.length} edits: ${(m.warm.ms / 1000).toFixed(2)} s, ${m.warm.parsed} re-parsed)`, `in-memory rebuild of the same thread ${(m.inMemoryRebuild.ms / 1000).toFixed(2)} s; cache ${(m.cacheBytes / 1e6).toFixed(1)} MB`, '≤ 1 s', m.warmUnchanged.ms <= 1000),
    row('9', 'Repository map: one-file update (save → thread re-parsed it)', '—', m.update.ms, `${f1(m.update.ms)} ms (max ${f1(m.update.maxMs)}; next map shows it: ${m.update.seenInNextMap ? 'yes' : 'NO'})`, `${m.update.perRep.length} files of 2–40 KB`, '≤ 50 ms', m.update.ms <= 50 && m.update.seenInNextMap),
    row('9', 'Repository map: longest host event-loop stall during the cold build', '—', c.maxStallMs, `${f1(c.maxStallMs)} ms (p99 ${f1(c.p99StallMs)}; warm ${f1(m.warm.maxStallMs)}); the host thread was busy ${f1(c.hostBusyMs)} ms of the ${(c.ms / 1000).toFixed(1)} s build`, `idle event loop, same run: ${f1(m.idleStall.maxStallMs)} ms (p99 ${f1(m.idleStall.p99StallMs)}); parsing in the host thread instead: ${f1(m.inThreadBaseline.worst.ms)} ms for its slowest file (${(m.inThreadBaseline.worst.bytes / 1024).toFixed(0)} KB)`, '≤ 50 ms', c.maxStallMs <= 50),
    row('9', 'Repository map: memory added to the host process (thread + index)', '—', c.rssAddedMB, `${f1(c.rssAddedMB)} MB RSS after the cold build (peak +${f1(c.peakRssAddedMB)} MB)`, 'RSS before the thread started', 'reported', null),
    row('9', 'Repository map: rendered tokens vs budget; share of the 1.5B model\'s default context', '—', r.tokens, `${r.tokens} of ${r.budget} tokens = ${(100 * r.tokens / r.contextSize).toFixed(1)}% of ${r.contextSize}; ${r.shownDefinitions} of ${r.totalDefinitions} definitions from ${r.files} files; rank+render ${r.ms} ms`, 'budget: an eighth of the context (ponder.context.repoMapTokens = -1)', '≤ budget', r.tokens <= r.budget),
  ];
}
