// Scripts of the speculative-decoding bench models (issue 13): what the big scripted models answer.
// - LOOKUP: an edit answer rewriting a 60-line function with 3 changed lines (its chain tokens are USER_DEFINED, so
//   the original in the prompt tokenizes to the answer's tokens), after a prose thought with nothing to copy.
// - DRAFT: a prose answer that repeats (loopAnswer) so a token ceiling sets the length; target and drafts share it.

/** The function the edit prompt carries (60 lines). */
export const LOOKUP_ORIGINAL = `export function buildInvoice(order: Order, customer: Customer, rates: TaxRates): Invoice {
  const lines: InvoiceLine[] = [];
  let subtotal = 0;
  let discountTotal = 0;
  for (const item of order.items) {
    if (item.quantity <= 0) {
      continue;
    }
    const unitPrice = item.unitPrice;
    const gross = unitPrice * item.quantity;
    let discount = 0;
    if (item.discountPercent > 0) {
      discount = gross * (item.discountPercent / 100);
    }
    if (customer.isWholesale && item.quantity >= 10) {
      discount += gross * 0.05;
    }
    const net = gross - discount;
    lines.push({
      sku: item.sku,
      description: item.description,
      quantity: item.quantity,
      unitPrice,
      discount,
      net,
    });
    subtotal += net;
    discountTotal += discount;
  }
  const region = customer.address.region;
  const taxRate = rates.byRegion[region] ?? rates.defaultRate;
  const tax = subtotal * taxRate;
  let shipping = 0;
  if (subtotal < 50) {
    shipping = 4.99;
  } else if (subtotal < 200) {
    shipping = 2.99;
  }
  // Wholesale customers never pay for shipping.
  if (customer.isWholesale) {
    shipping = 0;
  }
  const total = subtotal + tax + shipping;
  const dueDate = new Date(order.createdAt);
  dueDate.setDate(dueDate.getDate() + customer.paymentTermDays);
  const invoice: Invoice = {
    number: \`INV-\${order.id}\`,
    customerId: customer.id,
    issuedAt: new Date(order.createdAt),
    dueDate,
    lines,
    subtotal,
    discountTotal,
    tax,
    shipping,
    total,
    currency: order.currency,
  };
  return invoice;
}
`;

/** The rewrite: three lines changed (rounding of the line net, the tax and the total). */
export const LOOKUP_FIXED = LOOKUP_ORIGINAL
  .replace('    const net = gross - discount;', '    const net = Math.round((gross - discount) * 100) / 100;')
  .replace('  const tax = subtotal * taxRate;', '  const tax = Math.round(subtotal * taxRate * 100) / 100;')
  .replace('  const total = subtotal + tax + shipping;', '  const total = Math.round((subtotal + tax + shipping) * 100) / 100;');

export const LOOKUP_PROMPT = `Amounts on our invoices are off by a cent now and then. Round the line net, the tax and the total to cents in this function and give me the whole function back.\n\n\`\`\`ts\n${LOOKUP_ORIGINAL}\`\`\``;

/** A prose thought (nothing in the prompt to copy): the "free text" measurement. */
const LOOKUP_THOUGHT = 'The user sees invoices that are off by one cent now and then. Floating point sums of prices ' +
  'accumulate tiny errors, and nothing here rounds them, so a total like 19.999999 is shown as 20.00 in one place ' +
  'and 19.99 in another. Rounding each line once, then the tax and the total, keeps every printed amount consistent ' +
  'with the sum of the printed lines. Discounts stay as they are because they feed the net. Shipping is a fixed price ' +
  'already. I should keep the structure and change only the three computations, then return the complete function so ' +
  'it can replace the old one directly. I will also mention briefly why rounding happens at those points.';

export const LOOKUP_SPEC = Object.freeze({
  thought: LOOKUP_THOUGHT,
  answer: `Round at the three places where amounts are computed:\n\n\`\`\`ts\n${LOOKUP_FIXED}\`\`\`\n\nEach line's net, the tax and the total are now rounded to cents, so the printed lines add up to the printed total.`,
  userDefinedChain: true,
  template: 'r1-prefill',
  name: 'Ponder bench: prompt-lookup edit',
});

/** Target/draft script: a short thought, then prose that repeats (the token ceiling sets the answer length). */
export const DRAFT_SPEC = Object.freeze({
  thought: 'The user asks how the cache behaves under load. I will explain lookups, misses, eviction and expiry.',
  answer: 'The cache keeps recent results in memory so repeated requests are answered without recomputing them. ' +
    'A lookup hashes the key and checks the table; on a miss the value is computed, stored and returned. When the ' +
    'table is full, the least recently used entry is evicted, which keeps memory bounded by the configured size. ' +
    'Entries also expire after a timeout, so stale values are not served for long. Under heavy load the hit rate ' +
    'decides everything: a hot working set that fits the table makes most requests cheap, while a scan over many ' +
    'distinct keys evicts useful entries and turns the cache into overhead. Measure the hit rate before tuning. ',
  loopAnswer: true,
  template: 'r1-prefill',
  name: 'Ponder bench: draft target',
});

export const DRAFT_PROMPT = 'How does the cache behave under load?';
