// A round initial for a person, a square one for a room; a presence dot when known.
export function Avatar(props: { name: string; id: number | string; group?: boolean; online?: boolean; small?: boolean }) {
  const n = typeof props.id === 'number' ? props.id : [...props.id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  const color = props.id === 0 ? 'av-sys' : `av-${n % 8}`;
  const letter = (props.name.trim()[0] ?? '?').toUpperCase();
  return (
    <span class={`avatar ${color}${props.group ? ' group' : ''}${props.small ? ' small' : ''}`} aria-hidden="true">
      {letter}
      {props.online !== undefined ? <span class={`dot${props.online ? ' on' : ''}`} /> : null}
    </span>
  );
}

export function PresenceDot(props: { online: boolean }) {
  return <span class={`dot${props.online ? ' on' : ''}`} role="img" aria-label={props.online ? 'online' : 'offline'} />;
}
