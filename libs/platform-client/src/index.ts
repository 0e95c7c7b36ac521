/**
 * @platform/client — the authenticated outbound API client.
 * Token providers, caches and `PlatformClient` land with the platform-client issue; this entry
 * point exists so the workspace, aliases and dependency rules are in place.
 */
export {};
