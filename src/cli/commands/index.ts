import type { Command } from 'commander';
import { registerDemo } from './demo';
import { registerStages } from './pipeline-stages';
import { registerSchema } from './schema';
import { registerEnv } from './env';
import { registerDoctor } from './doctor';
import { registerBaseline } from './baseline';

/** A command module adds itself to the program; setExit records the exit code it wants. */
export type RegisterCommand = (program: Command, setExit: (code: number) => void) => void;

export const COMMANDS: RegisterCommand[] = [registerStages, registerSchema, registerDemo, registerEnv, registerDoctor, registerBaseline];
