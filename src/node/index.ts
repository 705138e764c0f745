// webgpu-lstm/node: running the WebGPU backend from Node through headless Chromium.
export { BrowserSession, type BrowserSessionOptions } from './browser-session.js';
export { remoteForward } from './remote.js';
export { findChrome, chromeArgs, kChromeEnvVars, kDefaultChrome } from './chrome.js';
export { startStaticServer, type StaticServer } from './static-server.js';
