import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ErrorInfo } from '../../../shared/errors';
import type { GroupSummary } from '../../../shared/types';
import { validateGroupID } from '../../../shared/validation';
import { countdeck } from '../services/countdeck';

/** Live-stream rooms first, then by name: the rooms are what an operator watches. */
function byImportance(a: GroupSummary, b: GroupSummary): number {
  const live = Number(b.type === 'AVChatRoom') - Number(a.type === 'AVChatRoom');
  return live !== 0 ? live : a.name.localeCompare(b.name);
}

/** The joined groups, the one selected, the filter, and joining by ID. */
export const useGroupsStore = defineStore('groups', () => {
  const groups = ref<GroupSummary[]>([]);
  const status = ref<'idle' | 'loading' | 'ready' | 'error'>('idle');
  const loadError = ref<ErrorInfo | null>(null);
  const filter = ref('');
  const selectedID = ref<string | null>(null);
  const joining = ref(false);
  const joinError = ref<ErrorInfo | null>(null);

  const visible = computed(() => {
    const needle = filter.value.trim().toLowerCase();
    const sorted = [...groups.value].sort(byImportance);
    if (needle === '') return sorted;
    return sorted.filter((group) => group.name.toLowerCase().includes(needle) || group.groupID.toLowerCase().includes(needle));
  });
  const selected = computed(() => groups.value.find((group) => group.groupID === selectedID.value) ?? null);
  /** Names by ID, worked out once per change of the list: the log and the chart ask for one per row, many times a second. */
  const names = computed(() => new Map(groups.value.map((group) => [group.groupID, group.name])));

  /** A group's name, or its ID for one not (yet) listed. */
  function nameOf(groupID: string): string {
    return names.value.get(groupID) ?? groupID;
  }

  /** Fetches the joined groups and keeps a selection. */
  async function load(): Promise<void> {
    status.value = 'loading';
    try {
      groups.value = await countdeck().listGroups();
      loadError.value = null;
      status.value = 'ready';
      if (selected.value === null) selectedID.value = [...groups.value].sort(byImportance)[0]?.groupID ?? null;
    } catch (error) {
      loadError.value = error as ErrorInfo;
      status.value = 'error';
    }
  }

  /** Forgets the groups of the previous connection (a reload follows once it is ready). */
  function reset(): void {
    groups.value = [];
    selectedID.value = null;
    status.value = 'idle';
    loadError.value = null;
    joinError.value = null;
  }

  function select(groupID: string): void {
    selectedID.value = groupID;
  }

  /** The ID checked as you type; null when it is fine (or empty and untouched). */
  function checkJoinID(groupID: string): ErrorInfo | null {
    if (groupID === '') return null;
    const checked = validateGroupID(groupID);
    return checked.ok ? null : checked.error;
  }

  /** Joins a group by ID and selects it; true on success, the reason in `joinError` otherwise. */
  async function join(groupID: string): Promise<boolean> {
    const checked = validateGroupID(groupID);
    if (!checked.ok) {
      joinError.value = checked.error;
      return false;
    }
    joining.value = true;
    try {
      const group = await countdeck().joinGroup(checked.value);
      groups.value = [...groups.value.filter((known) => known.groupID !== group.groupID), group];
      selectedID.value = group.groupID;
      joinError.value = null;
      return true;
    } catch (error) {
      joinError.value = error as ErrorInfo;
      return false;
    } finally {
      joining.value = false;
    }
  }

  return { groups, status, loadError, filter, selectedID, selected, visible, joining, joinError, load, reset, select, checkJoinID, join, nameOf };
});
