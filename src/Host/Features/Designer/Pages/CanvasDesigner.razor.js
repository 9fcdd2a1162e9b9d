// The canvas designer: an AntV X6 graph of one Elsa flowchart. Nodes carry their activity JSON as data, so whatever
// the canvas does not edit (inputs, custom properties, children of composites) is saved back unchanged.
// X6 comes from wwwroot/lib/x6 (copied from node_modules by the build); no bundler is involved.

const NODE_WIDTH = 180, NODE_HEIGHT = 56, LAYER_GAP = 120, COLUMN_GAP = 230;
const COLORS = { Approvals: '#e67e22', Branching: '#27ae60', Scheduling: '#16a085', Primitives: '#1f5fae' };
let loading;

function loadX6() {
    if (globalThis.X6) return Promise.resolve(globalThis.X6);
    loading ??= new Promise((resolve, reject) => {
        const script = document.createElement('script');
        script.src = '/lib/x6/x6.min.js';
        script.onload = () => resolve(globalThis.X6);
        script.onerror = () => reject(new Error('X6 could not be loaded'));
        document.head.appendChild(script);
    });
    return loading;
}

export async function create(container, palette, dotnet, options) {
    const X6 = await loadX6();
    return new CanvasDesigner(X6, container, palette, dotnet, options);
}

class CanvasDesigner {
    constructor(X6, container, palette, dotnet, options) {
        this.X6 = X6;
        this.dotnet = dotnet;
        this.catalog = new Map(options.catalog.map(e => [e.type, e]));
        this.labels = options.labels ?? {};
        this.readOnly = !!options.readOnly;
        this.problems = new Map();
        this.graph = new X6.Graph({
            container,
            autoResize: true,
            grid: { size: 10, visible: true, type: 'dot', args: { color: '#d5dbe3' } },
            panning: { enabled: true, eventTypes: ['leftMouseDown'] },
            mousewheel: { enabled: true, modifiers: ['ctrl', 'meta'], minScale: 0.3, maxScale: 2 },
            interacting: this.readOnly ? false : { nodeMovable: true, edgeMovable: false, edgeLabelMovable: false },
            connecting: {
                snap: { radius: 30 },
                allowBlank: false, allowLoop: false, allowNode: false, allowEdge: false, allowMulti: 'withPort',
                highlight: true,
                connector: { name: 'rounded', args: { radius: 8 } },
                router: { name: 'er', args: { offset: 24, direction: 'V' } },
                createEdge: () => this.graph.createEdge(this.edgeStyle()),
                validateMagnet: ({ magnet }) => !this.readOnly && magnet.getAttribute('port-group') === 'out',
                validateConnection: ({ targetMagnet, sourceCell, targetCell }) =>
                    !!targetMagnet && targetMagnet.getAttribute('port-group') === 'in' && sourceCell !== targetCell,
            },
            highlighting: {
                magnetAvailable: { name: 'stroke', args: { padding: 3, attrs: { stroke: '#1f5fae', 'stroke-width': 2 } } },
            },
        });
        if (!this.readOnly) {
            // X6 3 plugins keep their API on the plugin, not on the graph.
            this.selection = new X6.Selection({ enabled: true, multiple: false, rubberband: false, showNodeSelectionBox: true, showEdgeSelectionBox: false });
            this.graph.use(this.selection);
            this.graph.use(new X6.Snapline({ enabled: true }));
            this.keyboard = new X6.Keyboard({ enabled: true, global: false });
            this.graph.use(this.keyboard);
            this.keyboard.bindKey(['delete', 'backspace'], () => { this.removeSelected(); return false; });
            this.dnd = new X6.Dnd({
                target: this.graph,
                scaled: false,
                getDropNode: dragging => this.graph.createNode({ ...this.nodeConfig(this.newActivity(dragging.getData().type)) }),
            });
            palette?.addEventListener('mousedown', e => this.startDrag(e));
            palette?.addEventListener('click', e => this.addByClick(e));
        }
        this.graph.on('node:click', ({ node }) => this.select(node));
        this.graph.on('edge:click', ({ edge }) => this.selectEdge(edge));
        this.graph.on('blank:click', () => this.select(null));
        this.graph.on('edge:connected', ({ edge }) => { edge.setAttrs(this.edgeStyle().attrs); this.changed(); });
        this.graph.on('node:moved', () => this.changed());
        this.graph.on('node:added', ({ node }) => { if (!this.loading) { this.select(node); this.changed(); } });
    }

    edgeStyle() {
        return { attrs: { line: { stroke: '#8a97a8', strokeWidth: 1.5, targetMarker: { name: 'block', width: 8, height: 6 } } }, zIndex: 0 };
    }

    // Load and save -------------------------------------------------------------------------------------------

    load(flowchart) {
        this.loading = true;
        this.graph.clearCells();
        const activities = flowchart.activities ?? [];
        let missing = false;
        for (const a of activities) {
            if (!a.metadata?.designer?.position) missing = true;
            this.graph.addNode(this.nodeConfig(a));
        }
        for (const c of flowchart.connections ?? []) {
            const source = typeof c.source === 'object' ? c.source?.activity : c.source;
            const target = typeof c.target === 'object' ? c.target?.activity : c.target;
            const sourcePort = (typeof c.source === 'object' ? c.source?.port : c.sourcePort) ?? 'Done';
            if (!this.graph.getCellById(source) || !this.graph.getCellById(target)) continue;
            this.ensurePort(this.graph.getCellById(source), sourcePort);
            this.graph.addEdge({ ...this.edgeStyle(), source: { cell: source, port: sourcePort }, target: { cell: target, port: 'In' } });
        }
        this.loading = false;
        if (missing) this.autoLayout();
        this.zoomToFit();
        this.dirty = false;
    }

    toFlowchart() {
        const activities = this.graph.getNodes().map(node => {
            const a = structuredClone(node.getData().activity);
            const p = node.getPosition();
            a.metadata ??= {};
            a.metadata.designer ??= {};
            a.metadata.designer.position = { x: Math.round(p.x), y: Math.round(p.y) };
            return a;
        });
        const connections = this.graph.getEdges().map(edge => ({
            source: { activity: edge.getSourceCellId(), port: edge.getSourcePortId() },
            target: { activity: edge.getTargetCellId(), port: 'In' },
        })).filter(c => c.source.activity && c.target.activity);
        return { activities, connections };
    }

    // Nodes ---------------------------------------------------------------------------------------------------

    entry(type) { return this.catalog.get(type) ?? { type, category: 'Primitives', ports: ['Done'] }; }

    portsOf(activity) {
        switch (activity.type) {
            case 'Elsa.FlowSwitch':
                return [...(activity.cases ?? []).map(c => c?.label ?? '').filter(l => l), 'Default'];
            case 'Elsa.FlowFork': {
                const value = activity.branches?.expression?.value ?? activity.branches;
                const list = Array.isArray(value) ? value : String(value ?? '').split(/[,\n]/);
                return list.map(s => String(s).trim()).filter(s => s);
            }
            default:
                return this.entry(activity.type).ports;
        }
    }

    label(activity) {
        const typeLabel = this.labels[activity.type] ?? activity.type.split('.').pop();
        const name = activity.name ?? activity.metadata?.displayText;
        return name && name !== typeLabel ? `${name}\n${typeLabel}` : typeLabel;
    }

    nodeConfig(activity) {
        const color = COLORS[this.entry(activity.type).category] ?? '#576574';
        const p = activity.metadata?.designer?.position ?? { x: 0, y: 0 };
        const outs = this.portsOf(activity);
        return {
            id: activity.id,
            shape: 'rect',
            x: p.x, y: p.y, width: NODE_WIDTH, height: NODE_HEIGHT,
            data: { activity, type: activity.type },
            attrs: {
                body: { rx: 8, ry: 8, fill: '#ffffff', stroke: color, strokeWidth: 1.5 },
                label: { text: this.label(activity), fill: '#1d2733', fontSize: 12, textWrap: { width: NODE_WIDTH - 16, height: NODE_HEIGHT - 8, ellipsis: true } },
            },
            ports: {
                groups: {
                    in: { position: 'top', attrs: { circle: { r: 5, magnet: 'passive', stroke: color, strokeWidth: 1, fill: '#fff' } } },
                    out: {
                        position: 'bottom',
                        label: { position: { name: 'bottom', args: { y: 4 } } },
                        attrs: { circle: { r: 5, magnet: true, stroke: color, strokeWidth: 1, fill: '#fff' }, text: { fontSize: 10, fill: '#4a5561' } },
                    },
                },
                items: [
                    ...(activity.type === 'Elsa.Start' ? [] : [{ id: 'In', group: 'in' }]),
                    ...outs.map(port => ({ id: port, group: 'out', attrs: { text: { text: outs.length > 1 || port !== 'Done' ? port : '' } } })),
                ],
            },
        };
    }

    ensurePort(node, port) {
        if (!node.hasPort(port)) node.addPort({ id: port, group: 'out', attrs: { text: { text: port } } });
    }

    newActivity(type) {
        const stem = type.split('.').pop().replace(/^Flow/, '').toLowerCase();
        let n = 1;
        while (this.graph.getCellById(`${stem}${n}`)) n++;
        return { id: `${stem}${n}`, type, metadata: { designer: { position: { x: 0, y: 0 } } } };
    }

    startDrag(e) {
        const item = e.target.closest?.('[data-type]');
        if (!item || e.button !== 0) return;
        e.preventDefault();
        const type = item.getAttribute('data-type');
        this.dragStarted = { x: e.clientX, y: e.clientY };
        const node = this.graph.createNode({ ...this.nodeConfig({ id: `drag-${Date.now()}`, type }), data: { type } });
        this.dnd.start(node, e);
    }

    // A tap (no drag) adds the activity in the middle of the view: how phones add one.
    addByClick(e) {
        const item = e.target.closest?.('[data-type]');
        if (!item) return;
        const moved = this.dragStarted ? Math.hypot(e.clientX - this.dragStarted.x, e.clientY - this.dragStarted.y) : 0;
        this.dragStarted = null;
        if (moved > 4) return;
        const activity = this.newActivity(item.getAttribute('data-type'));
        const area = this.graph.getGraphArea();
        activity.metadata.designer.position = { x: Math.round(area.x + area.width / 2 - NODE_WIDTH / 2), y: Math.round(area.y + area.height / 2 - NODE_HEIGHT / 2) };
        this.graph.addNode(this.nodeConfig(activity));
    }

    updateActivity(activity) {
        const node = this.graph.getCellById(activity.id);
        if (!node) return;
        const position = node.getPosition();
        activity.metadata ??= {};
        activity.metadata.designer = { ...(activity.metadata.designer ?? {}), position };
        node.setData({ activity, type: activity.type }, { overwrite: true });
        node.setAttrByPath('label/text', this.label(activity));
        const wanted = this.portsOf(activity);
        // Outcomes that no longer exist lose their port and its connections.
        for (const port of node.getPortsByGroup('out')) {
            if (!wanted.includes(port.id)) {
                for (const edge of this.graph.getConnectedEdges(node, { outgoing: true })) if (edge.getSourcePortId() === port.id) edge.remove();
                node.removePort(port.id);
            }
        }
        for (const port of wanted) this.ensurePort(node, port);
        for (const port of node.getPortsByGroup('out'))
            node.setPortProp(port.id, 'attrs/text/text', wanted.length > 1 || port.id !== 'Done' ? port.id : '');
        this.changed();
    }

    removeSelected() {
        if (this.readOnly) return;
        const cells = this.selection?.getSelectedCells() ?? [];
        const target = cells.length ? cells : this.selectedEdge ? [this.selectedEdge] : [];
        if (!target.length) return;
        this.graph.removeCells(target);
        this.selectedEdge = null;
        this.select(null);
        this.changed();
    }

    select(node) {
        this.selectedEdge = null;
        if (node && this.selection) { this.selection.clean(); this.selection.select(node); }
        this.dotnet.invokeMethodAsync('OnSelected', node ? JSON.stringify(node.getData().activity) : null);
    }

    selectById(id) {
        const node = this.graph.getCellById(id);
        if (node?.isNode()) { this.select(node); this.graph.centerCell(node); }
    }

    selectEdge(edge) {
        if (this.readOnly) return;
        this.selection?.clean();
        this.selectedEdge = edge;
        this.graph.getEdges().forEach(e => e.setAttrByPath('line/stroke', e === edge ? '#1f5fae' : '#8a97a8'));
        this.dotnet.invokeMethodAsync('OnEdgeSelected', `${edge.getSourceCellId()}.${edge.getSourcePortId()} → ${edge.getTargetCellId()}`);
    }

    changed() {
        if (this.loading) return;
        this.dirty = true;
        this.dotnet.invokeMethodAsync('OnChanged');
    }

    // Layout and problems -----------------------------------------------------------------------------------

    /** Layers by longest path from the start (loop-back edges ignored), each layer centred. */
    autoLayout() {
        const nodes = this.graph.getNodes();
        const edges = this.graph.getEdges().map(e => [e.getSourceCellId(), e.getTargetCellId()]);
        const out = new Map(nodes.map(n => [n.id, []]));
        const indegree = new Map(nodes.map(n => [n.id, 0]));
        for (const [s, t] of edges) if (out.has(s) && out.has(t)) { out.get(s).push(t); indegree.set(t, indegree.get(t) + 1); }
        // Find back edges with a DFS from the roots, so loops do not push layers forever.
        const roots = nodes.filter(n => n.getData().type === 'Elsa.Start').map(n => n.id);
        for (const n of nodes) if (indegree.get(n.id) === 0 && !roots.includes(n.id)) roots.push(n.id);
        if (!roots.length && nodes.length) roots.push(nodes[0].id);
        const back = new Set(), state = new Map();
        const visit = id => {
            state.set(id, 1);
            for (const t of out.get(id)) {
                if (state.get(t) === 1) back.add(`${id}>${t}`);
                else if (!state.get(t)) visit(t);
            }
            state.set(id, 2);
        };
        roots.forEach(r => { if (!state.get(r)) visit(r); });
        nodes.forEach(n => { if (!state.get(n.id)) visit(n.id); });
        const layer = new Map(nodes.map(n => [n.id, 0]));
        const order = [];
        const seen = new Set();
        const topo = id => { if (seen.has(id)) return; seen.add(id); for (const t of out.get(id)) if (!back.has(`${id}>${t}`)) topo(t); order.unshift(id); };
        nodes.forEach(n => topo(n.id));
        for (const id of order) for (const t of out.get(id)) if (!back.has(`${id}>${t}`)) layer.set(t, Math.max(layer.get(t), layer.get(id) + 1));
        const byLayer = new Map();
        for (const id of order) { const l = layer.get(id); if (!byLayer.has(l)) byLayer.set(l, []); byLayer.get(l).push(id); }
        const widest = Math.max(1, ...[...byLayer.values()].map(l => l.length));
        for (const [l, ids] of byLayer) {
            const offset = (widest - ids.length) * COLUMN_GAP / 2;
            ids.forEach((id, i) => this.graph.getCellById(id).position(offset + i * COLUMN_GAP, l * LAYER_GAP));
        }
        this.changed();
        this.zoomToFit();
    }

    zoomToFit() {
        if (!this.graph.getNodes().length) return;
        this.graph.zoomToFit({ padding: 40, maxScale: 1 });
    }

    /**
     * Marks each activity with a problem on the canvas: a red (error) or amber (warning) dashed border, a "!" badge
     * that selects it, and the messages as the node's tooltip and data-problem attribute. Clean nodes lose the mark.
     */
    markProblems(problems) {
        const byId = new Map();
        for (const p of problems ?? []) {
            if (!p.activityId) continue;
            const entry = byId.get(p.activityId) ?? { messages: [], error: false };
            entry.messages.push(p.message);
            entry.error ||= p.error !== false;
            byId.set(p.activityId, entry);
        }
        for (const node of this.graph.getNodes()) {
            const color = COLORS[this.entry(node.getData().type).category] ?? '#576574';
            const problem = byId.get(node.id);
            const mark = problem ? (problem.error ? '#c62828' : '#ef6c00') : null;
            node.setAttrByPath('body/stroke', mark ?? color);
            node.setAttrByPath('body/strokeWidth', mark ? 3 : 1.5);
            node.setAttrByPath('body/strokeDasharray', mark ? '6 3' : null);
            if (node.hasTool('button')) node.removeTool('button');
            if (problem) {
                node.addTools({
                    name: 'button',
                    args: {
                        x: '100%', y: 0, offset: { x: -2, y: 2 },
                        markup: [
                            { tagName: 'circle', selector: 'button', attrs: { r: 9, fill: mark, stroke: '#fff', 'stroke-width': 2, cursor: 'pointer' } },
                            { tagName: 'text', textContent: '!', selector: 'icon',
                              attrs: { fill: '#fff', 'font-size': 13, 'font-weight': 'bold', 'text-anchor': 'middle', y: 4.5, 'pointer-events': 'none' } },
                        ],
                        onClick: ({ cell }) => this.select(cell),
                    },
                });
            }
            const element = this.graph.findViewByCell(node)?.container;
            if (!element) continue;
            element.querySelector(':scope > title.problem-title')?.remove();
            if (problem) {
                const text = problem.messages.join('\n');
                element.setAttribute('data-problem', text);
                element.setAttribute('data-problem-severity', problem.error ? 'error' : 'warning');
                const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
                title.classList.add('problem-title');
                title.textContent = text;
                element.prepend(title);
            } else {
                element.removeAttribute('data-problem');
                element.removeAttribute('data-problem-severity');
            }
        }
    }

    dispose() { this.graph.dispose(); }
}
