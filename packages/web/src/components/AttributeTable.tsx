import type { OtlpKeyValue } from '../api/types';
import { attributeText } from '../lib/attribute-text';

/** Keys and values as text (React escapes them: attribute data is never markup). Long or multi-line values wrap in <pre>. */
export function AttributeTable({ attributes, label }: { attributes: OtlpKeyValue[]; label: string }) {
  if (attributes.length === 0) return <p className="muted">No {label.toLowerCase()}.</p>;
  return (
    <table className="kv" aria-label={label}>
      <tbody>
        {attributes.map((a, i) => {
          const text = attributeText(a.value);
          return (
            <tr key={`${a.key}-${i}`}>
              <th scope="row">{a.key}</th>
              <td>{text.includes('\n') || text.length > 200 ? <pre>{text}</pre> : text}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
