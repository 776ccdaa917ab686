/* global exports */
// The hello handler of cold/src/app.mjs as a CommonJS module: loading it needs no ES-module machinery.
const body = JSON.stringify({ message: 'hello world' });

exports.handler = async () => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body,
});
