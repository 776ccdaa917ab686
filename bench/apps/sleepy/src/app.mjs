// Sleeps `?ms=` milliseconds (default 300), then answers with its process id, so that the benchmark can tell
// which execution environment served each request.
export const handler = async (event) => {
  const ms = Number(event.queryStringParameters?.ms ?? 300);
  await new Promise((resolve) => setTimeout(resolve, ms));
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pid: process.pid }),
  };
};
