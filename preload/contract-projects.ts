// The projects part of the contract: the list of projects and the facts about the running app.
// Types only.

/** A project as the projects screen lists it. */
export interface ProjectSummary {
  id: string;
  name: string;
  /** ISO 8601 time of creation. */
  createdAt: string;
  imageCount: number;
  classCount: number;
}

/** Facts about the running app. */
export interface AppInfo {
  version: string;
  /** Where projects live. */
  dataDirectory: string;
  /** "electron" or "browser". */
  host: 'electron' | 'browser';
}
