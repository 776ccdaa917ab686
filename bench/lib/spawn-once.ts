// Baseline for cold starts: what a naive "spawn a process per request" platform pays. Started fresh for each
// request, it loads the handler module given as argv[2], reads one event (a JSON line) on stdin, calls the
// handler once, writes the result as one JSON line on stdout and exits.
import { pathToFileURL } from 'node:url';

const [file, exportName = 'handler'] = process.argv.slice(2);
const mod = (await import(pathToFileURL(file!).href)) as Record<string, (event: unknown, context: unknown) => Promise<unknown>>;
let input = '';
for await (const chunk of process.stdin) {
  input += String(chunk);
  if (input.includes('\n')) break;
}
const context = { awsRequestId: 'naive', functionName: 'naive', getRemainingTimeInMillis: () => 3000 };
const result = await mod[exportName]!(JSON.parse(input), context);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
