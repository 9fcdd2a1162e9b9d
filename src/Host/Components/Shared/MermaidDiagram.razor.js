// Loads mermaid (wwwroot/lib/mermaid, copied from node_modules by the build) once, then draws into an element.
let loading;
let counter = 0;

function load() {
    if (globalThis.mermaid) return Promise.resolve(globalThis.mermaid);
    loading ??= new Promise((resolve, reject) => {
        const script = document.createElement('script');
        script.src = '/lib/mermaid/mermaid.min.js';
        script.onload = () => {
            globalThis.mermaid.initialize({
                startOnLoad: false,
                securityLevel: 'strict',
                theme: 'neutral',
                flowchart: { htmlLabels: true, curve: 'basis', useMaxWidth: true },
                fontFamily: '"PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif',
            });
            resolve(globalThis.mermaid);
        };
        script.onerror = () => reject(new Error('mermaid could not be loaded'));
        document.head.appendChild(script);
    });
    return loading;
}

export async function render(element, source) {
    const mermaid = await load();
    const id = `mermaid-${Date.now()}-${counter++}`;
    try {
        const { svg } = await mermaid.render(id, source);
        element.innerHTML = svg;
    } catch (e) {
        element.textContent = source;
        document.getElementById(id)?.remove();
    }
}
