// Opening a camera into a <video>, with the sentence to show when it cannot be opened; used by
// the webcam capture (data) and live predictions (try).
import { t } from './i18n/i18n.svelte';

/** The stream playing in `video`, or the reason no camera could be used, as a sentence. */
export async function openCamera(video: HTMLVideoElement): Promise<{ stream: MediaStream } | { error: string }> {
  if (!navigator.mediaDevices?.getUserMedia) {
    return { error: t('try.camera.unavailable') };
  }
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 640 }, height: { ideal: 480 } }, audio: false });
    video.srcObject = stream;
    await video.play();
    return { stream };
  } catch (cause) {
    const name = cause instanceof DOMException ? cause.name : '';
    return {
      error:
        name === 'NotAllowedError'
          ? t('try.camera.notAllowed')
          : name === 'NotFoundError'
            ? t('try.camera.notFound')
            : t('try.camera.failed', { reason: cause instanceof Error ? cause.message : String(cause) }),
    };
  }
}

/** Stops every track, so the camera's light goes off. */
export function releaseCamera(stream: MediaStream | null): void {
  stream?.getTracks().forEach((track) => track.stop());
}

/** The video's current frame as a JPEG, scaled down to at most `maxWidth` pixels wide. */
export function grabFrame(video: HTMLVideoElement, maxWidth: number, quality = 0.9): Promise<Blob | null> {
  const width = video.videoWidth || maxWidth;
  const scale = Math.min(1, maxWidth / width);
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round((video.videoHeight || (width * 3) / 4) * scale);
  canvas.getContext('2d')!.drawImage(video, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
}
