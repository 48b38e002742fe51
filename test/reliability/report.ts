// The one reliability table the harness runner and `npm run bench` print, and the README keeps:
// faults injected / survived / data lost, bad inputs tried / handled, load items held.

/** How one injected fault went. */
export interface Outcome {
  /** What was done. */
  name: string;
  /** What went wrong; empty when the app handled it. */
  problems: string[];
  /** Items saved before that were missing afterwards (must be 0). */
  lost: number;
}

/** A kind of fault and how it went. */
export interface FaultRow {
  /** What was done to the app, e.g. "SIGKILL during import". */
  fault: string;
  /** Times it was done. */
  injected: number;
  /** Times the project was consistent afterwards. */
  survived: number;
  /** Committed items missing afterwards (must be 0). */
  lost: number;
}

/** A corpus of bad input and how it went. */
export interface InputRow {
  /** What was fed, e.g. "bad images". */
  input: string;
  /** How many were tried. */
  tried: number;
  /** How many got an import or an error value with a reason (no exception, no hang). */
  handled: number;
}

/** A load item and its figures, or why it was not measured. */
export interface LoadRow {
  /** What was loaded, e.g. "10 runs back to back on 5,000 images". */
  load: string;
  /** "yes", "no" or "not measured". */
  held: string;
  /** The figures, in words. */
  figures: string;
}

/** Everything one table shows. */
export interface ReliabilityReport {
  /** Faults injected. */
  faults: FaultRow[];
  /** Bad inputs tried. */
  inputs: InputRow[];
  /** Load items. */
  load: LoadRow[];
}

function markdown(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const line = (cells: readonly (string | number)[]) => `| ${cells.map(String).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The table as Markdown (readable in a terminal and pasted into docs/reliability.md as it is). */
export function formatReport(report: ReliabilityReport): string {
  const sum = (rows: readonly FaultRow[], key: 'injected' | 'survived' | 'lost') => rows.reduce((total, row) => total + row[key], 0);
  const faults = [
    ...report.faults.map((r) => [r.fault, r.injected, r.survived, r.lost]),
    ['**all faults**', sum(report.faults, 'injected'), sum(report.faults, 'survived'), sum(report.faults, 'lost')],
  ];
  return [
    markdown(['Fault injected', 'Injected', 'Survived', 'Data lost'], faults),
    '',
    markdown(
      ['Bad input', 'Tried', 'Handled'],
      report.inputs.map((r) => [r.input, r.tried, r.handled]),
    ),
    '',
    markdown(
      ['Load', 'Held', 'Figures'],
      report.load.map((r) => [r.load, r.held, r.figures]),
    ),
  ].join('\n');
}

/** Faults of one kind from trials: injected, survived (no problem), data lost. */
export function faultRow(fault: string, outcomes: readonly { problems: readonly string[]; lost: number }[]): FaultRow {
  return {
    fault,
    injected: outcomes.length,
    survived: outcomes.filter((o) => o.problems.length === 0).length,
    lost: outcomes.reduce((n, o) => n + o.lost, 0),
  };
}
