// Chat templates and named scenario specs for generated test models.

/** DeepSeek-R1-Distill-Qwen chat template (the updated one: generation prompt ends "<｜Assistant｜><think>\n"). */
const R1_TEMPLATE_BODY =
  "{% if not add_generation_prompt is defined %}{% set add_generation_prompt = false %}{% endif %}" +
  "{% set ns = namespace(is_first=false, is_tool=false, is_output_first=true, system_prompt='') %}" +
  "{%- for message in messages %}{%- if message['role'] == 'system' %}{% set ns.system_prompt = message['content'] %}{%- endif %}{%- endfor %}" +
  "{{bos_token}}{{ns.system_prompt}}" +
  "{%- for message in messages %}" +
  "{%- if message['role'] == 'user' %}{%- set ns.is_tool = false -%}{{'<｜User｜>' + message['content']}}{%- endif %}" +
  "{%- if message['role'] == 'assistant' and message['content'] is none %}{%- set ns.is_tool = false -%}" +
  "{%- for tool in message['tool_calls']%}{%- if not ns.is_first %}" +
  "{{'<｜Assistant｜><｜tool▁calls▁begin｜><｜tool▁call▁begin｜>' + tool['type'] + '<｜tool▁sep｜>' + tool['function']['name'] + '\\n' + '```json' + '\\n' + tool['function']['arguments'] + '\\n' + '```' + '<｜tool▁call▁end｜>'}}" +
  "{%- set ns.is_first = true -%}{%- else %}" +
  "{{'\\n' + '<｜tool▁call▁begin｜>' + tool['type'] + '<｜tool▁sep｜>' + tool['function']['name'] + '\\n' + '```json' + '\\n' + tool['function']['arguments'] + '\\n' + '```' + '<｜tool▁call▁end｜>'}}" +
  "{{'<｜tool▁calls▁end｜><｜end▁of▁sentence｜>'}}{%- endif %}{%- endfor %}{%- endif %}" +
  "{%- if message['role'] == 'assistant' and message['content'] is not none %}" +
  "{%- if ns.is_tool %}{{'<｜tool▁outputs▁end｜>' + message['content'] + '<｜end▁of▁sentence｜>'}}{%- set ns.is_tool = false -%}" +
  "{%- else %}{% set content = message['content'] %}{% if '</think>' in content %}{% set content = content.split('</think>')[-1] %}{% endif %}" +
  "{{'<｜Assistant｜>' + content + '<｜end▁of▁sentence｜>'}}{%- endif %}{%- endif %}" +
  "{%- if message['role'] == 'tool' %}{%- set ns.is_tool = true -%}" +
  "{%- if ns.is_output_first %}{{'<｜tool▁outputs▁begin｜><｜tool▁output▁begin｜>' + message['content'] + '<｜tool▁output▁end｜>'}}{%- set ns.is_output_first = false %}" +
  "{%- else %}{{'\\n<｜tool▁output▁begin｜>' + message['content'] + '<｜tool▁output▁end｜>'}}{%- endif %}{%- endif %}" +
  "{%- endfor -%}{% if ns.is_tool %}{{'<｜tool▁outputs▁end｜>'}}{% endif %}";

export const CHAT_TEMPLATES = Object.freeze({
  'r1-prefill': `${R1_TEMPLATE_BODY}{% if add_generation_prompt and not ns.is_tool %}{{'<｜Assistant｜><think>\\n'}}{% endif %}`,
  r1: `${R1_TEMPLATE_BODY}{% if add_generation_prompt and not ns.is_tool %}{{'<｜Assistant｜>'}}{% endif %}`,
  none: null,
});

export const EDIT_SAMPLE_ORIGINAL = 'export function add(a: number, b: number): number {\n  return a - b;\n}\n';
export const EDIT_SAMPLE_FIXED = 'export function add(a: number, b: number): number {\n  return a + b;\n}\n';

export const HOSTILE_ANSWER = [
  '## Result',
  '',
  'Here is what I found:',
  '',
  '- first item',
  '- second item with **bold** text',
  '',
  '<script>alert(1)</script>',
  '',
  '<img src=x onerror=alert(1)>',
  '',
  '[click](javascript:alert(1))',
  '',
  '![x](https://evil.example/leak.png)',
  '',
  '<a href="https://x" onclick="alert(1)">y</a>',
  '',
  '```js',
  'const x = 1;',
  'console.log(x);',
  '```',
].join('\n');

/** Prompt-lookup scenario: the prompt carries ORIGINAL, the answer rewrites it (one line changed). */
export const LOOKUP_SAMPLE_ORIGINAL = [
  'export function summarize(orders: Order[]): Summary {',
  '  let total = 0;',
  '  let count = 0;',
  '  for (const order of orders) {',
  '    if (order.cancelled) continue;',
  '    total += order.amount;',
  '    count += 1;',
  '  }',
  '  const average = total / orders.length;',
  '  return { total, count, average };',
  '}',
  '',
].join('\n');
export const LOOKUP_SAMPLE_FIXED = LOOKUP_SAMPLE_ORIGINAL.replace('total / orders.length', 'count === 0 ? 0 : total / count');

const SHORT = {
  thought: 'The user greets me. I should answer briefly and offer help with their code. A friendly one-line reply is enough.',
  answer: 'Hello! How can I help with your code today?',
};

/**
 * Named specs. See generate-model.mjs for the spec fields.
 * @type {Readonly<Record<string, import('./generate-model.mjs').ModelSpec>>}
 */
export const SCENARIOS = Object.freeze({
  short: Object.freeze({ ...SHORT, template: 'r1-prefill' }),
  'long-thought': Object.freeze({
    thought: 'Let me think about this step by step. First, I need to understand what the user is asking. ' +
      'Then I should consider the edge cases, and check the reasoning once more before answering. ',
    answer: 'Here is the answer after thinking.',
    loopThought: true,
    template: 'r1-prefill',
  }),
  /** A reply whose answer repeats forever (greedy or sampled): only a generated-token ceiling stops it. */
  'loop-answer': Object.freeze({
    thought: 'The user wants a list. I will write it out.',
    answer: 'And the list goes on, item after item. ',
    loopAnswer: true,
    template: 'r1-prefill',
  }),
  edit: Object.freeze({
    thought: 'The user says add() returns the wrong result. Looking at the function, it returns a - b, ' +
      'but the name says it should add the two numbers. So the bug is the minus sign. ' +
      'The fix is to return a + b instead. I will give the whole corrected function in one code block.',
    answer: 'The function subtracts instead of adding. Here is the corrected version:\n\n' +
      '```ts\n' + EDIT_SAMPLE_FIXED + '```\n\n' +
      'The only change is `a - b` → `a + b`.',
    template: 'r1-prefill',
  }),
  hostile: Object.freeze({
    thought: 'The user wants a summary with a list, a heading and a code sample. I will format it in markdown.',
    answer: HOSTILE_ANSWER,
    template: 'r1-prefill',
  }),
  'empty-thought': Object.freeze({
    thought: '',
    answer: 'Sure, here is a quick answer without any thinking.',
    template: 'r1-prefill',
  }),
  'closing-only': Object.freeze({
    thought: 'The user wants X. Let me reason.',
    answer: 'Final answer.',
    template: 'none',
  }),
  /**
   * Prompt lookup: chain tokens are USER_DEFINED, so a prompt containing LOOKUP_SAMPLE_ORIGINAL tokenizes to the
   * answer's tokens wherever the texts agree and InputLookupTokenPredictor validates predictions (and refutes
   * some at the changed line).
   */
  'lookup-edit': Object.freeze({
    thought: 'The average divides by all orders, cancelled ones included. Divide by count, guarding zero.',
    answer: 'The average must divide by the orders that count:\n\n```ts\n' + LOOKUP_SAMPLE_FIXED + '```\n\nOnly the average line changed.',
    userDefinedChain: true,
    template: 'r1-prefill',
  }),
  /**
   * Draft-model target: draftSpec(SCENARIOS['draft-target'], { rate }) is a compatible draft that agrees on a
   * fraction 1 − rate of next tokens; { incompatible: 'eos' | 'bos' | 'token-text' } an incompatible one.
   */
  'draft-target': Object.freeze({
    thought: 'The user asks how the cache works. I will explain the lookup, the eviction and the size limit in turn.',
    answer: 'The cache keeps recent results in memory. A lookup first hashes the key, then checks the table; ' +
      'on a miss it computes the value and stores it. When the table is full, the least recently used entry ' +
      'is evicted, so memory stays bounded by the size limit you configure. Entries also expire after a ' +
      'timeout, which keeps stale values from being served for too long.',
    template: 'r1-prefill',
  }),
  'r1-old-template': Object.freeze({ ...SHORT, template: 'r1' }),
  'no-template': Object.freeze({ ...SHORT, template: 'none' }),
});
