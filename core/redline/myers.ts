// Myers' O(ND) difference algorithm (the one the `diff` package implements),
// over positions compared by a callback, with typed arrays and no allocation
// per step: the hot path of the redline runs it once per changed paragraph.
// Long, very different inputs fall back to the `diff` package's diffArrays.
import { diffArrays } from 'diff';

/** A run of an alignment: equal items (same count on both sides) or a change (either side may be empty). */
export interface Seg {
  eq: boolean;
  o0: number;
  o1: number;
  n0: number;
  n1: number;
}

/**
 * How the two sequences compare: runs of equal items are measured in one call
 * (the diff's inner loop), so a tight comparison stays inside one function.
 */
export interface Compare {
  /** How many items are equal going forward from (i, j), stopping at iEnd or jEnd. */
  forward(i: number, j: number, iEnd: number, jEnd: number): number;
  /** How many items are equal going backward from (i - 1, j - 1), not below iStart or jStart. */
  backward(i: number, j: number, iStart: number, jStart: number): number;
  eq(i: number, j: number): boolean;
  /**
   * Items compared by one integer each, `a[ab + 3i]` against `b[bb + 3j]`
   * (word hashes): the diff then compares them inline, without a call per run.
   */
  readonly ints?: { a: Int32Array; ab: number; b: Int32Array; bb: number };
}

/** A Compare from an item equality test. */
export function compareBy(eq: (i: number, j: number) => boolean): Compare {
  return {
    eq,
    forward(i, j, iEnd, jEnd) {
      let k = 0;
      while (i + k < iEnd && j + k < jEnd && eq(i + k, j + k)) k++;
      return k;
    },
    backward(i, j, iStart, jStart) {
      let k = 0;
      while (i - k > iStart && j - k > jStart && eq(i - k - 1, j - k - 1)) k++;
      return k;
    },
  };
}

/** Beyond this many edits the trace (D^2 integers) is not worth keeping: use the `diff` package. */
const TRACE_LIMIT = 1024;

/**
 * Minimal alignment of a[0..n) with b[0..m); adjacent changes merged.
 * Undefined when more than `maxD` items would have to be inserted or deleted.
 */
export function myers(n: number, m: number, compare: Compare | ((i: number, j: number) => boolean), maxD: number = n + m): Seg[] | undefined {
  const cmp = typeof compare === 'function' ? compareBy(compare) : compare;
  const p = cmp.forward(0, 0, n, m);
  const s = cmp.backward(n, m, p, p);
  const segs: Seg[] = [];
  if (p > 0) segs.push({ eq: true, o0: 0, o1: p, n0: 0, n1: p });
  const midN = n - p - s;
  const midM = m - p - s;
  if (midN === 0 || midM === 0) {
    if (midN + midM > maxD) return undefined;
    if (midN + midM > 0) segs.push({ eq: false, o0: p, o1: p + midN, n0: p, n1: p + midM });
  } else {
    if (Math.abs(midN - midM) > maxD) return undefined;
    const middle = middleSegs(midN, midM, cmp, Math.min(maxD, TRACE_LIMIT), p);
    if (middle === undefined) {
      if (maxD <= TRACE_LIMIT) return undefined;
      const fallback = viaDiffPackage(midN, midM, (i, j) => cmp.eq(p + i, p + j), maxD, p);
      if (!fallback) return undefined;
      for (const seg of fallback) push(segs, seg);
    } else {
      for (const seg of middle) push(segs, seg);
    }
  }
  if (s > 0) segs.push({ eq: true, o0: n - s, o1: n, n0: m - s, n1: m });
  return segs;
}

function push(segs: Seg[], seg: Seg): void {
  const last = segs[segs.length - 1];
  if (last && !last.eq && !seg.eq) {
    last.o1 = seg.o1;
    last.n1 = seg.n1;
  } else if (last && last.eq && seg.eq) {
    last.o1 = seg.o1;
    last.n1 = seg.n1;
  } else {
    segs.push(seg);
  }
}

// Work arrays, one per nesting depth: the block alignment's equality test
// runs word alignments inside its own search.
const buffers: { trace: Int32Array }[] = [];
let depth = 0;

/**
 * Forward Myers over a[offset..offset+N) and b[offset..offset+M), each round's
 * V written straight into the trace (round d at trace[d * d .. d * d + 2d],
 * k = -d..d; only the diagonals of d's parity are used), then a walk back
 * from the end.
 */
function middleSegs(N: number, M: number, cmp: Compare, maxD: number, offset: number): Seg[] | undefined {
  const buf = (buffers[depth] ??= { trace: new Int32Array(4096) });
  let found: number;
  depth++;
  try {
    found = search(N, M, cmp, Math.min(maxD, N + M), offset, buf);
  } finally {
    depth--;
  }
  return found < 0 ? undefined : walkBack(buf.trace, found, N, M, offset);
}

/** The rounds of the forward search, into `buf.trace` (grown as needed); the number of edits, or -1 beyond `limit`. */
function search(N: number, M: number, cmp: Compare, limit: number, offset: number, buf: { trace: Int32Array }): number {
  let trace = buf.trace;
  const ints = cmp.ints;
  const ia = ints ? ints.a : null;
  const ib = ints ? ints.b : null;
  const ia0 = ints ? ints.ab + 3 * offset : 0;
  const ib0 = ints ? ints.bb + 3 * offset : 0;
  for (let d = 0; d <= limit; d++) {
    const need = (d + 1) * (d + 1);
    if (trace.length < need) {
      const grown = new Int32Array(2 * need);
      grown.set(trace);
      buf.trace = trace = grown;
    }
    const row = d * d + d;
    const prev = (d - 1) * (d - 1) + d - 1;
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (d === 0) x = 0;
      else {
        // V[k - 1] and V[k + 1] of round d - 1 (-1 where that round did not reach).
        const fromRight = k > -d ? trace[prev + k - 1]! : -1;
        const fromDown = k < d ? trace[prev + k + 1]! : -1;
        if (chooseDown(fromRight, fromDown, k, d, N, M)) x = fromDown;
        else if (k > -d && fromRight >= 0 && fromRight < N) x = fromRight + 1;
        else {
          trace[row + k] = -1;
          continue;
        }
      }
      let y = x - k;
      if (ia !== null && ib !== null) {
        let p = ia0 + 3 * x;
        let q = ib0 + 3 * y;
        while (x < N && y < M && ia[p] === ib[q]) {
          x++;
          y++;
          p += 3;
          q += 3;
        }
      } else if (x < N && y < M) {
        const run = cmp.forward(offset + x, offset + y, offset + N, offset + M);
        x += run;
        y += run;
      }
      trace[row + k] = x;
      if (x >= N && y >= M) return d;
    }
  }
  return -1;
}

/**
 * The runs of the path found in `found` edits: at each d, the choice made on
 * the way forward is made again. Each run is merged into the one after it
 * when of the same kind (one object per run, not per step).
 */
function walkBack(trace: Int32Array, found: number, N: number, M: number, offset: number): Seg[] {
  const reversed: Seg[] = [];
  let x = N;
  let y = M;
  for (let d = found; d > 0; d--) {
    const k = x - y;
    const down = chooseDown(traced(trace, d - 1, k - 1), traced(trace, d - 1, k + 1), k, d, N, M);
    const prevK = down ? k + 1 : k - 1;
    const prevX = traced(trace, d - 1, prevK);
    const prevY = prevX - prevK;
    const startX = down ? prevX : prevX + 1;
    if (x > startX) before(reversed, true, offset + startX, offset + x, offset + startX - k, offset + y);
    if (down) before(reversed, false, offset + prevX, offset + prevX, offset + prevY, offset + prevY + 1);
    else before(reversed, false, offset + prevX, offset + prevX + 1, offset + prevY, offset + prevY);
    x = prevX;
    y = prevY;
  }
  if (x > 0) before(reversed, true, offset, offset + x, offset, offset + y);
  return reversed.reverse();
}

/** Adds the run just before the last one of `reversed` (built from the end), merged with it when of the same kind. */
function before(reversed: Seg[], eq: boolean, o0: number, o1: number, n0: number, n1: number): void {
  const next = reversed[reversed.length - 1];
  if (next && next.eq === eq) {
    next.o0 = o0;
    next.n0 = n0;
  } else {
    reversed.push({ eq, o0, o1, n0, n1 });
  }
}

/** V[k] after round d, as kept in the trace (-1 where no path reached). */
function traced(trace: Int32Array, d: number, k: number): number {
  return k < -d || k > d ? -1 : trace[d * d + k + d]!;
}

/** Whether diagonal k at round d is reached by an insertion (from k + 1) rather than a deletion (from k - 1). */
function chooseDown(fromRight: number, fromDown: number, k: number, d: number, N: number, M: number): boolean {
  // An insertion from k + 1 needs a path there with y < M; a deletion from k - 1 one with x < N.
  const canDown = k < d && fromDown >= 0 && fromDown - (k + 1) < M;
  const canRight = k > -d && fromRight >= 0 && fromRight < N;
  return canDown && (!canRight || fromRight < fromDown);
}

/** The `diff` package's Myers for long, very different inputs (its path sharing keeps memory down). */
function viaDiffPackage(N: number, M: number, eq: (i: number, j: number) => boolean, maxD: number, offset: number): Seg[] | undefined {
  const a = Array.from({ length: N }, (_, i) => i);
  const b = Array.from({ length: M }, (_, j) => -1 - j);
  const changes = diffArrays(a, b, { comparator: (i: number, j: number) => eq(i, -1 - j), maxEditLength: maxD });
  if (!changes) return undefined;
  const segs: Seg[] = [];
  let o = 0;
  let n = 0;
  for (const c of changes) {
    if (c.added) push(segs, { eq: false, o0: offset + o, o1: offset + o, n0: offset + n, n1: offset + (n += c.count) });
    else if (c.removed) push(segs, { eq: false, o0: offset + o, o1: offset + (o += c.count), n0: offset + n, n1: offset + n });
    else {
      push(segs, { eq: true, o0: offset + o, o1: offset + o + c.count, n0: offset + n, n1: offset + n + c.count });
      o += c.count;
      n += c.count;
    }
  }
  return segs;
}
