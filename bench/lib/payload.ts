// Realistic Spaces payload parts for the benchmarks.
import type { JsonValue } from '../../src/core/wire/types';

/** An attachment of content.data[] shaped as the seed doc's examples send it. */
export function attachment(i: number, convertStatus = i % 3): { [key: string]: JsonValue } {
  return {
    convertStart: null,
    convertStatus,
    description: '',
    fileId: `63cb20f5-12d8-4dea-b784-ae13c11a1c${String(i).padStart(2, '0')}`,
    fileSize: 2034 + i * 977,
    fileType: i % 2 ? 'image' : 'document',
    icon: '',
    keywords: [],
    metaData: { paging: 0, prvwProvd: 'gcs', stgeProvd: 'gcs' },
    name: `userActions compressed ${i}.txt`,
    nextSchedule: null,
    pages: i,
    path: `https://storage.example.com/files/63cb20f5-12d8-4dea-b784-ae13c11a1c${i}/original`,
    previewFile: '',
    provider: 'native',
    providerFileType: i % 2 ? 'image/png' : 'text/plain',
    recordingId: null,
    thumbnail: '',
    thumbnailFile: `thumb-63cb20f5-${i}`,
    thumbnailUrl: `https://storage.example.com/files/thumb-63cb20f5-${i}`,
    type: null,
  };
}
