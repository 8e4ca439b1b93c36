// Words and marks for verdicts and signatures: never colour alone. Pure.
import type { SignatureState, VerdictState } from './generated/types';

export const VERDICT_LABEL: Record<VerdictState, { icon: string; word: string }> = {
	ready_to_merge: { icon: '✓', word: 'Ready to merge' },
	needs_approvals: { icon: '●', word: 'Needs approvals' },
	blocked: { icon: '⛔', word: 'Blocked' },
	changes_requested: { icon: '✕', word: 'Changes requested' }
};

export function describeSignature(s: SignatureState): string {
	switch (s.state) {
		case 'valid':
			return `signed (${s.fingerprint})`;
		case 'missing':
			return 'not signed';
		case 'unknown_key':
			return `signed with a key not in allowed_signers (${s.fingerprint})`;
		case 'wrong_principal':
			return `signed with a key that belongs to ${s.key_principals.join(', ')}`;
		case 'invalid':
			return `invalid signature: ${s.reason}`;
	}
}
