// The server's own log lines: `[accord] message` for people (the default), or
// one JSON object per line (ACCORD_LOG_FORMAT=json) for a log collector that
// gathers several processes: time, level, process id, message. In the code,
// "log" means these lines; the signed log is server/transparency/.
export type LogLineFormat = 'text' | 'json';

export function logLine(format: LogLineFormat, level: 'info' | 'error', message: string): string {
  if (format === 'text') return `[accord] ${message}`;
  return JSON.stringify({ time: new Date().toISOString(), level, pid: process.pid, msg: message });
}
