import type { SetVersion } from '@tessera/shared';

/**
 * A choice of dataset version (by id, as text), optionally after a first entry such as "now"; named by
 * a `<label htmlFor={id}>` or by `label`.
 */
export function VersionSelect(props: {
  versions: readonly Pick<SetVersion, 'id' | 'name'>[];
  value: string;
  onChange: (value: string) => void;
  first?: { value: string; label: string };
  id?: string;
  label?: string;
}) {
  return (
    <select
      {...(props.id === undefined ? {} : { id: props.id })}
      {...(props.label === undefined ? {} : { 'aria-label': props.label })}
      value={props.value}
      onChange={(e) => {
        props.onChange(e.target.value);
      }}
    >
      {props.first === undefined ? null : <option value={props.first.value}>{props.first.label}</option>}
      {props.versions.map((v) => (
        <option key={v.id} value={v.id}>
          {v.name}
        </option>
      ))}
    </select>
  );
}
