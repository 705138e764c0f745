// Times one compute dispatch on a device: wall clock from submit to completion, and the GPU's own
// timestamps around the pass where the adapter has 'timestamp-query'.

/** A device of its own for the roofline kernels, with timestamp queries when the adapter has them. */
export async function openTimingDevice() {
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) throw new Error('roofline: no WebGPU adapter');
  const timestamps = adapter.features.has('timestamp-query');
  const device = await adapter.requestDevice({ requiredFeatures: timestamps ? ['timestamp-query'] : [] });
  return { device, timestamps };
}

/**
 * @param {{ device: GPUDevice, timestamps: boolean }} gpu
 * @param {GPUComputePipeline} pipeline @param {GPUBindGroup} bindGroup @param {[number, number, number]} workgroups
 * @returns {Promise<{ wallMs: number, gpuMs: number|null }>}
 */
export async function timeDispatch(gpu, pipeline, bindGroup, workgroups) {
  const { device } = gpu;
  const querySet = gpu.timestamps ? device.createQuerySet({ type: 'timestamp', count: 2 }) : null;
  const resolve = querySet && device.createBuffer({ size: 16, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
  const read = querySet && device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass(
    querySet ? { timestampWrites: { querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 } } : {},
  );
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(...workgroups);
  pass.end();
  if (querySet && resolve && read) {
    encoder.resolveQuerySet(querySet, 0, 2, resolve, 0);
    encoder.copyBufferToBuffer(resolve, 0, read, 0, 16);
  }
  const start = performance.now();
  device.queue.submit([encoder.finish()]);
  await device.queue.onSubmittedWorkDone();
  const wallMs = performance.now() - start;
  let gpuMs = null;
  if (querySet && resolve && read) {
    await read.mapAsync(GPUMapMode.READ);
    const [begin, end] = new BigUint64Array(read.getMappedRange());
    gpuMs = end > begin ? Number(end - begin) / 1e6 : null;
    read.unmap();
    for (const object of [querySet, resolve, read]) object.destroy();
  }
  return { wallMs, gpuMs };
}

/** Compiles WGSL into a compute pipeline, failing with the compiler's messages. @param {GPUDevice} device @param {string} code @param {string} label */
export async function compilePipeline(device, code, label) {
  const module = device.createShaderModule({ code, label });
  const errors = (await module.getCompilationInfo()).messages.filter((m) => m.type === 'error');
  if (errors.length) throw new Error(`${label}: ${errors.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('; ')}`);
  return device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' }, label });
}

/** Compiles a WGSL file served beside this module. @param {GPUDevice} device @param {string} file */
export async function loadPipeline(device, file) {
  return compilePipeline(device, await (await fetch(new URL(file, import.meta.url))).text(), file);
}
