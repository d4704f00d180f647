// Per cluster and pool: requests at min and max replicas against the pool at maxSize.
import type { Plan } from "../plan.js";

export interface CapacityRow {
  cluster: string;
  pool: string;
}

export function capacityReport(_plan: Plan): { text: string; data: CapacityRow[] } {
  return { text: "", data: [] };
}
