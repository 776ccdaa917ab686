/* global exports */
// The handler of sleepy/src/app.mjs as a CommonJS module.
exports.handler = async (event) => {
  const ms = Number(event.queryStringParameters?.ms ?? 300);
  await new Promise((resolve) => setTimeout(resolve, ms));
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pid: process.pid }),
  };
};
