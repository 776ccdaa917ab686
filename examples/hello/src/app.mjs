// A handler exactly as it would run on AWS Lambda: it reads the API Gateway event and answers in the proxy format.
let invocations = 0;

export const handler = async (event, context) => {
  invocations += 1;
  const name = event.pathParameters?.name ?? event.queryStringParameters?.name ?? 'world';
  console.log(`greeting ${name} (invocation ${invocations} of this environment)`);
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      message: `${process.env.GREETING}, ${name}!`,
      requestId: context.awsRequestId,
      warm: invocations > 1,
    }),
  };
};
