// The daemon's version: the package version, bundled from package.json at build time.
import { version } from '../package.json';

export const DAEMON_VERSION: string = version;
