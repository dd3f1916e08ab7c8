// albauth admin page: the template picker, the ARN check as the admin types, the sync connector's fields. Plain script,
// no framework. The server validates everything again (through the Rust core) on save: this
// only tells the admin sooner. Also loaded by node (browser/arn.test.js) for arnProblem.
'use strict';

/**
 * Why `arn` is not an ALB ARN, or null when it is: the rule of the Rust core's
 * src/config/arn.rs (AlbArn::parse), with its messages.
 */
function arnProblem(arn) {
  // Rust splitn(6, ':'): the sixth part keeps any further colons.
  const parts = [];
  let rest = arn;
  while (parts.length < 5) {
    const at = rest.indexOf(':');
    if (at < 0) break;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  parts.push(rest);
  if (parts.length !== 6 || parts[0] !== 'arn') {
    return 'is not an ARN (arn:PARTITION:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/app/NAME/ID)';
  }
  const [, partition, service, region, account, resource] = parts;
  if (!['aws', 'aws-cn', 'aws-us-gov'].includes(partition)) {
    return 'partition `' + partition + '` is not aws, aws-cn or aws-us-gov';
  }
  if (service !== 'elasticloadbalancing') return 'service is not elasticloadbalancing';
  if (!validRegion(region)) return 'region `' + region + '` is not a region name';
  const inPartition = partition === 'aws-cn' ? region.startsWith('cn-')
    : partition === 'aws-us-gov' ? region.startsWith('us-gov-')
      : !region.startsWith('cn-') && !region.startsWith('us-gov-');
  if (!inPartition) return 'region `' + region + '` is not in partition `' + partition + '`';
  if (!/^[0-9]{12}$/.test(account)) return 'account is not 12 digits';
  const segs = resource.split('/');
  const ok = segs.length === 4 && segs[0] === 'loadbalancer' && segs[1] === 'app'
    && /^[A-Za-z0-9-]+$/.test(segs[2]) && /^[0-9A-Fa-f]+$/.test(segs[3]);
  if (!ok) return 'resource is not loadbalancer/app/NAME/ID (an Application Load Balancer)';
  return null;
}

function validRegion(r) {
  const p = r.split('-');
  if (p.length < 3 || p.length > 4) return false;
  const last = p[p.length - 1];
  return p.slice(0, -1).every((x) => /^[a-z]+$/.test(x)) && /^[0-9]{1,2}$/.test(last);
}

/** Problems of an ARN textarea's text, one message per bad line ("Line 2: account is not 12 digits"). */
function arnLinesProblems(text) {
  const out = [];
  const seen = new Map();
  text.split(/\r\n|\r|\n/).map((l) => l.trim()).filter((l) => l !== '').forEach((line, i) => {
    const why = arnProblem(line);
    if (why) out.push('Line ' + (i + 1) + ': ' + why);
    else if (seen.has(line)) out.push('Line ' + (i + 1) + ': is a duplicate of line ' + seen.get(line));
    if (!seen.has(line)) seen.set(line, i + 1);
  });
  return out;
}

if (typeof module !== 'undefined') {
  module.exports = { arnProblem, arnLinesProblems };
}

if (typeof document !== 'undefined') {
  document.addEventListener('DOMContentLoaded', () => {
    const byId = (id) => document.getElementById(id);

    function setError(input, message) {
      const slot = byId('err-' + input.id);
      if (slot) slot.textContent = message;
      if (message) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    }

    const arns = byId('trusted_albs');
    if (arns && !arns.readOnly) {
      arns.addEventListener('input', () => setError(arns, arnLinesProblems(arns.value).join(' ')));
    }

    const data = byId('albauth-templates');
    const picker = byId('template');
    if (data && picker) {
      const templates = JSON.parse(data.textContent);
      const find = (name) => templates.find((t) => t.name === name);
      const patterns = templates.map((t) => t.issuer_pattern).filter((p) => p);
      picker.addEventListener('change', () => {
        const t = find(picker.value);
        if (!t) return;
        const header = byId('token_header');
        const claim = byId('username_claim');
        const issuer = byId('issuer');
        if (header) header.value = t.token_header;
        if (claim && !claim.readOnly) claim.value = t.username_claim;
        // The issuer is replaced only while it is empty or still a template's pattern:
        // a value the admin typed is theirs.
        if (issuer && !issuer.readOnly && (issuer.value.trim() === '' || patterns.includes(issuer.value.trim()))) {
          issuer.value = t.issuer_pattern;
        }
        const templateHint = document.querySelector('#hint-template .template-part');
        if (templateHint) templateHint.textContent = t.hint;
        const issuerHint = document.querySelector('#hint-issuer .template-part');
        if (issuerHint) issuerHint.textContent = t.issuer_pattern ? 'Pattern: ' + t.issuer_pattern : '';
      });
    }

    const issuer = byId('issuer');
    if (issuer && !issuer.readOnly) {
      issuer.addEventListener('input', () => {
        const m = /\{[A-Za-z]+\}/.exec(issuer.value);
        setError(issuer, m ? 'Replace ' + m[0] + " in the template's issuer pattern with your value." : '');
      });
    }

    // Directory sync: only the chosen connector's fields are shown (the server keeps the others as stored).
    const kind = byId('ds_kind');
    if (kind) {
      const showKind = () => {
        document.querySelectorAll('fieldset.connector').forEach((f) => { f.hidden = f.dataset.kind !== kind.value; });
      };
      kind.addEventListener('change', showKind);
      showKind();
    }

    // After a refused save, the first field in error has the focus (keyboard and screen-reader users land on it).
    const invalid = document.querySelector('[aria-invalid="true"]');
    if (invalid) {
      const details = invalid.closest('details');
      if (details) details.open = true;
      invalid.focus();
    }
  });
}
