// face-api.js (@vladmandic/face-api) on tfjs-wasm, one thread: SSD MobileNet v1 detection, 68 landmarks, 128-d
// descriptor and a nearest-neighbour search over a gallery, per photo; the side-by-side for scripts/bench-faceapi.sh.
// usage: node bench.js GALLERY_LIST PROBE_LIST  (files with one JPEG path a line) -> one JSON line on stdout
'use strict';
const fs = require('fs');
const path = require('path');
const jpeg = require('jpeg-js');
const tf = require('@tensorflow/tfjs');
const wasm = require('@tensorflow/tfjs-backend-wasm');
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');

const read = (list) => fs.readFileSync(list, 'utf8').split('\n').filter((l) => l.length > 0);

// decoded outside the clock: lfr's figure includes its own decode, so this errs in face-api's favour
function tensorOf(file) {
  const image = jpeg.decode(fs.readFileSync(file), { useTArray: true, formatAsRGBA: false });
  return tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
}

async function describe(file, options) {
  const input = tensorOf(file);
  try {
    const t0 = performance.now();
    const faces = await faceapi.detectAllFaces(input, options).withFaceLandmarks().withFaceDescriptors();
    return { faces, ms: performance.now() - t0 };
  } finally {
    tf.dispose(input);
  }
}

async function main() {
  const [galleryList, probeList] = process.argv.slice(2);
  const dist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/');
  wasm.setWasmPaths(dist);
  wasm.setThreadsCount(1);
  await tf.setBackend('wasm');
  await tf.ready();
  const model = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(model);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(model);
  await faceapi.nets.faceRecognitionNet.loadFromDisk(model);
  const options = new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5 });

  const gallery = [];
  for (const file of read(galleryList)) {
    const { faces } = await describe(file, options);
    if (faces.length > 0) gallery.push(new faceapi.LabeledFaceDescriptors(path.basename(file), [faces[0].descriptor]));
  }
  const matcher = new faceapi.FaceMatcher(gallery, 0.6);

  // the first photo warms the backend up (kernels compiled on first use): not timed, as lfr's first call is not
  const probes = read(probeList);
  await describe(probes[0], options);
  let ms = 0;
  let faces = 0;
  for (const file of probes) {
    const t0 = performance.now();
    const found = await describe(file, options);
    for (const face of found.faces) matcher.findBestMatch(face.descriptor);
    ms += performance.now() - t0;
    faces += found.faces.length;
  }
  process.stdout.write(JSON.stringify({
    faceApi: faceapi.version, tfjs: tf.version_core, backend: tf.getBackend(), threads: wasm.getThreadsCount(),
    gallery: gallery.length, photos: probes.length, faces, msPerPhoto: ms / probes.length,
  }) + '\n');
}

main().catch((e) => { console.error(e); process.exit(1); });
