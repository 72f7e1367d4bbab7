import type { Config } from '@taskstream/config';
import type { LlmConfig } from '@taskstream/chat';

/** The chat model, when OPENAI_BASE_URL and OPENAI_MODEL are both set (config checks they come together). */
export function llmConfigOf(config: Pick<Config, 'OPENAI_BASE_URL' | 'OPENAI_API_KEY' | 'OPENAI_MODEL'>): LlmConfig | undefined {
  if (!config.OPENAI_BASE_URL || !config.OPENAI_MODEL) return undefined;
  return { baseUrl: config.OPENAI_BASE_URL, model: config.OPENAI_MODEL, ...(config.OPENAI_API_KEY && { apiKey: config.OPENAI_API_KEY }) };
}
