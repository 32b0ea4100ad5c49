// The webview panels' view types, in a file of their own with no zod: the extension's small entry
// bundle registers their serializers at activation and must not build the panels' schemas to do so.

/** The checklist panel's view type: the serializer that restores it after a reload is registered for it. */
export const PANEL_VIEW_TYPE = 'railyard.promotion';

/** The metrics panel's view type: its serializer restores it after a reload. */
export const METRICS_VIEW_TYPE = 'railyard.metrics';
