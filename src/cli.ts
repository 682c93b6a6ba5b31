import { config as loadDotenv } from 'dotenv';
import { ConfigError } from './config';

/** A `carebridge` subcommand: takes its arguments and the environment, returns the exit code. */
export type Command = (args: string[], env: NodeJS.ProcessEnv) => Promise<number>;

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  start: { summary: 'migrate the database, then run the app and its scheduler', load: async () => (await import('./commands/start')).start },
  migrate: { summary: 'bring the database schema up to date', load: async () => (await import('./commands/migrate')).migrateCommand },
  import: { summary: 'import trigger events from a CSV file: carebridge import <file.csv>', load: async () => (await import('./commands/import')).importCommand },
  job: { summary: 'run one scheduled job once: carebridge job <sla-sweep|daily-digest|weekly-report> [--at <ISO time>]', load: async () => (await import('./commands/job')).jobCommand },
  report: { summary: 'print the weekly metrics: carebridge report [--week YYYY-Www] [--format text|json|csv]', load: async () => (await import('./commands/report')).reportCommand },
};

const USAGE = `Usage: carebridge <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join('\n')}

Settings come from the environment or a .env file in the current folder (see .env.example).`;

/** Runs one subcommand; returns the process exit code. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  loadDotenv({ quiet: true });
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`carebridge: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  try {
    return await (await command.load())(args, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 78; // EX_CONFIG
    }
    throw error;
  }
}
