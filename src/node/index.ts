/// <reference types="@webgpu/types" preserve="true" />
// webgpu-lstm/node: running the WebGPU backend from Node through headless Chromium.
export { BrowserSession, type BrowserSessionOptions } from './chromium/browser-session.js';
export { remoteForward } from './chromium/remote.js';
export { findChrome, chromeArgs, kChromeEnvVars, kDefaultChrome } from './chromium/chrome.js';
export { startStaticServer, type StaticServer } from './chromium/static-server.js';
