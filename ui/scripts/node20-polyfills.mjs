// SvelteKit's build calls Promise.withResolvers (Node 22+). Debian's Node 20 lacks it; this adds
// the standard behaviour until the machines move to Node 22. Loaded with `node --import`.
if (typeof Promise.withResolvers !== 'function') {
	Promise.withResolvers = function withResolvers() {
		let resolve;
		let reject;
		const promise = new this((res, rej) => {
			resolve = res;
			reject = rej;
		});
		return { promise, resolve, reject };
	};
}
