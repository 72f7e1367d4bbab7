import { useId, useState, type KeyboardEvent } from 'react';
import { useTagColors, useTags } from '../tags/use-tags.js';
import { TagChip } from '../ui/tag-chip.js';

/** Tags as removable chips in their colours, plus a field that suggests existing tags. */
export function TagInput({ value, onChange }: { value: string[]; onChange: (tags: string[]) => void }) {
  const [text, setText] = useState('');
  const { data: tags } = useTags();
  const colors = useTagColors();
  const listId = useId();
  const inputId = useId();
  const add = () => {
    const name = text.trim().replace(/^#/, '').replaceAll(',', '');
    if (name && !value.some((t) => t.toLowerCase() === name.toLowerCase())) onChange([...value, name]);
    setText('');
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' || e.key === ',') {
      e.preventDefault();
      add();
    } else if (e.key === 'Backspace' && !text && value.length) onChange(value.slice(0, -1));
  };
  return (
    <div className="field">
      <label htmlFor={inputId}>Tags</label>
      <div className="tag-input">
        {value.map((t) => (
          <TagChip key={t} name={t} color={colors.get(t.toLowerCase())}>
            <button type="button" className="chip-remove" aria-label={`Remove tag ${t}`} onClick={() => onChange(value.filter((x) => x !== t))}>
              ×
            </button>
          </TagChip>
        ))}
        <input
          id={inputId}
          list={listId}
          value={text}
          placeholder={value.length ? '' : 'Add a tag and press Enter'}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKey}
          onBlur={add}
          maxLength={40}
        />
        <datalist id={listId}>
          {(tags ?? []).filter((t) => !value.includes(t.name)).map((t) => (
            <option key={t.id} value={t.name} />
          ))}
        </datalist>
      </div>
    </div>
  );
}
