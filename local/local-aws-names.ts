/**
 * What local mode says where AWS would name an account and a region: there are none. The same names
 * go into the SDK clients of the local store (any region will do for dynalite, and the AWS CLI wants
 * one), the envelopes forwarded to IM_FORWARD_URL and the stream records the local consumers read.
 */
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'local';
