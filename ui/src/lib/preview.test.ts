import { describe, expect, it } from 'vitest';
import { linkedStatuses, previewUrl, statusLabel } from './preview';

describe('previewUrl', () => {
	it('uses the custom scheme on WebKit and the http form on Windows', () => {
		expect(previewUrl('/index.html', 'dark', 3, 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit')).toBe(
			'wheelhouse-preview://localhost/index.html?theme=dark&v=3'
		);
		expect(previewUrl('incidents/a.html', 'auto', 1, 'Mozilla/5.0 (Windows NT 10.0) Edg/120')).toBe(
			'http://wheelhouse-preview.localhost/incidents/a.html?theme=auto&v=1'
		);
	});
});

describe('statusLabel', () => {
	it('spells statuses out', () => {
		expect(statusLabel('partial_outage')).toBe('Partial outage');
		expect(statusLabel('investigating')).toBe('Investigating');
		expect(statusLabel('in_progress')).toBe('In progress');
	});
});

describe('linkedStatuses', () => {
	it('maps env/workload to the component standing for it', () => {
		const map = linkedStatuses([
			{
				components: [
					{ id: 'api', name: 'Public API', shown: 'partial_outage', env: 'prod', workloads: ['api', 'worker'] },
					{ id: 'docs', name: 'Docs', shown: 'operational', env: null, workloads: ['docs'] }
				]
			}
		]);
		expect(map.get('prod/api')).toEqual({ id: 'api', name: 'Public API', shown: 'partial_outage' });
		expect(map.get('prod/worker')?.id).toBe('api');
		expect(map.size).toBe(2);
	});
});
