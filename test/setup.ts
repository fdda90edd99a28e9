// Every unit test gets a fresh in-memory IndexedDB; tests name their own databases.
import 'fake-indexeddb/auto';
