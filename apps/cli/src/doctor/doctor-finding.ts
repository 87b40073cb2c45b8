/** One line of `sogoms doctor`: what was checked, whether it is fine, and how to fix it if not. */
export interface DoctorFinding {
  check: string;
  ok: boolean;
  detail: string;
  /** Only for a problem. */
  fix?: string;
}

export const passed = (check: string, detail: string): DoctorFinding => ({ check, ok: true, detail });
export const failed = (check: string, detail: string, fix: string): DoctorFinding => ({
  check,
  ok: false,
  detail,
  fix,
});
