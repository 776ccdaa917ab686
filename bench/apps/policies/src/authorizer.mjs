// The benchmark's TOKEN authorizer: allows every method of the API for the token `Bearer bench-token`, with a small
// context. With ReauthorizeEvery 300 it runs once; every later request is answered from the result cache.
export const handler = async (event) => {
  if (event.authorizationToken !== 'Bearer bench-token') throw new Error('Unauthorized');
  const [apiArn, stage] = event.methodArn.split('/'); // arn:aws:execute-api:REGION:ACCOUNT:API/STAGE/METHOD/path
  return {
    principalId: 'bench-user',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${apiArn}/${stage}/*` }],
    },
    context: { tier: 'bench' },
  };
};
