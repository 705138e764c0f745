/// <reference types="@webgpu/types" preserve="true" />
// webgpu-lstm/node: running the WebGPU backend from Node, in this process through Dawn (the optional
// `webgpu` package, imported on first use) or through headless Chromium.
export { verify, type NodeVerifyOptions } from './verify.js';
export { benchmark, type NodeBenchmarkOptions } from './benchmark.js';
export { createNodeBackend, type NodeBackend, type NodeBackendOptions, type NodeRuntime } from './node-backend.js';
export { dawnDriverOf, dawnGpu, type DawnOptions } from './dawn/gpu.js';
export { findSwiftShaderIcd, kIcdEnvVar } from './dawn/vulkan.js';
export { BrowserSession, type BrowserSessionOptions } from './chromium/browser-session.js';
export { remoteForward } from './chromium/remote.js';
export { findChrome, chromeArgs, kChromeEnvVars, kDefaultChrome } from './chromium/chrome.js';
export { startStaticServer, type StaticServer } from './chromium/static-server.js';
