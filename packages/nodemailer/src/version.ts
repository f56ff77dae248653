// The transport's name and version as nodemailer logs them (`Sending mail using strictmail/<version>`).
// The version is read from this package's own manifest at build time, so changesets keeps it true.
import { version } from '../package.json';

export const TRANSPORT_NAME = 'strictmail';
export const TRANSPORT_VERSION: string = version;
