/**
 * The GSSAPI structures, each declared once with its C typedef. Calls pass raw Buffers laid out
 * with these offsets instead of JS objects, because koffi's object marshalling costs ~1 µs per
 * call against ~30 ns for a Buffer argument (facts note); the declarations give the offsets.
 */
import type { Koffi } from './koffi.js';

/** Byte offsets and sizes of the structures, computed by koffi from the declarations. */
export interface GssLayout {
  readonly bufferDesc: { readonly size: number; readonly length: number; readonly value: number };
  readonly oidDesc: { readonly size: number; readonly length: number; readonly elements: number };
  readonly oidSet: { readonly size: number; readonly count: number; readonly elements: number };
  readonly bufferSet: { readonly size: number; readonly count: number; readonly elements: number };
  readonly channelBindings: {
    readonly size: number;
    readonly initiatorAddrtype: number;
    readonly initiatorAddress: number;
    readonly acceptorAddrtype: number;
    readonly acceptorAddress: number;
    readonly applicationData: number;
  };
  readonly keyValueElement: { readonly size: number; readonly key: number; readonly value: number };
  readonly keyValueSet: { readonly size: number; readonly count: number; readonly elements: number };
  readonly iov: { readonly size: number; readonly type: number; readonly buffer: number };
  /** libkrb5's krb5_creds (service-ticket pins read the principals and the end time). */
  readonly krb5Creds: {
    readonly size: number;
    readonly client: number;
    readonly server: number;
    readonly endtime: number;
  };
}

/** Declares the structs with koffi and returns their layout. */
export function declareLayout(koffi: Koffi): GssLayout {
  // typedef struct gss_buffer_desc_struct { size_t length; void *value; } gss_buffer_desc, *gss_buffer_t;
  const bufferDesc = koffi.struct('gss_buffer_desc', { length: 'size_t', value: 'void *' });
  // typedef struct gss_OID_desc_struct { OM_uint32 length; void *elements; } gss_OID_desc, *gss_OID;
  const oidDesc = koffi.struct('gss_OID_desc', { length: 'uint32_t', elements: 'void *' });
  // typedef struct gss_OID_set_desc_struct { size_t count; gss_OID elements; } gss_OID_set_desc, *gss_OID_set;
  const oidSet = koffi.struct('gss_OID_set_desc', { count: 'size_t', elements: 'void *' });
  // typedef struct gss_buffer_set_desc_struct { size_t count; gss_buffer_desc *elements; } gss_buffer_set_desc, *gss_buffer_set_t;
  const bufferSet = koffi.struct('gss_buffer_set_desc', { count: 'size_t', elements: 'void *' });
  // typedef struct gss_channel_bindings_struct {
  //   OM_uint32 initiator_addrtype; gss_buffer_desc initiator_address;
  //   OM_uint32 acceptor_addrtype; gss_buffer_desc acceptor_address;
  //   gss_buffer_desc application_data; } *gss_channel_bindings_t;
  const channelBindings = koffi.struct('gss_channel_bindings_struct', {
    initiator_addrtype: 'uint32_t',
    initiator_address: bufferDesc,
    acceptor_addrtype: 'uint32_t',
    acceptor_address: bufferDesc,
    application_data: bufferDesc,
  });
  // typedef struct gss_key_value_element_struct { const char *key; const char *value; } gss_key_value_element_desc;
  const keyValueElement = koffi.struct('gss_key_value_element_desc', { key: 'void *', value: 'void *' });
  // typedef struct gss_key_value_set_struct { OM_uint32 count; gss_key_value_element_desc *elements; } gss_key_value_set_desc;
  const keyValueSet = koffi.struct('gss_key_value_set_desc', { count: 'uint32_t', elements: 'void *' });
  // typedef struct gss_iov_buffer_desc_struct { OM_uint32 type; gss_buffer_desc buffer; } gss_iov_buffer_desc;
  const iov = koffi.struct('gss_iov_buffer_desc', { type: 'uint32_t', buffer: bufferDesc });

  // typedef struct _krb5_keyblock { krb5_magic magic; krb5_enctype enctype; unsigned int length; krb5_octet *contents; } krb5_keyblock;
  const keyblock = koffi.struct('krb5_keyblock', {
    magic: 'int32_t',
    enctype: 'int32_t',
    length: 'uint32_t',
    contents: 'void *',
  });
  // typedef struct _krb5_ticket_times { krb5_timestamp authtime, starttime, endtime, renew_till; } krb5_ticket_times;
  const times = koffi.struct('krb5_ticket_times', {
    authtime: 'int32_t',
    starttime: 'int32_t',
    endtime: 'int32_t',
    renew_till: 'int32_t',
  });
  // typedef struct _krb5_data { krb5_magic magic; unsigned int length; char *data; } krb5_data;
  const data = koffi.struct('krb5_data', { magic: 'int32_t', length: 'uint32_t', data: 'void *' });
  // typedef struct _krb5_creds { krb5_magic magic; krb5_principal client; krb5_principal server; krb5_keyblock keyblock;
  //   krb5_ticket_times times; krb5_boolean is_skey; krb5_flags ticket_flags; krb5_address **addresses;
  //   krb5_data ticket; krb5_data second_ticket; krb5_authdata **authdata; } krb5_creds;
  const krb5Creds = koffi.struct('krb5_creds', {
    magic: 'int32_t',
    client: 'void *',
    server: 'void *',
    keyblock,
    times,
    is_skey: 'uint32_t',
    ticket_flags: 'int32_t',
    addresses: 'void *',
    ticket: data,
    second_ticket: data,
    authdata: 'void *',
  });

  const off = (t: typeof bufferDesc, m: string): number => koffi.offsetof(t, m);
  return {
    bufferDesc: { size: bufferDesc.size, length: off(bufferDesc, 'length'), value: off(bufferDesc, 'value') },
    oidDesc: { size: oidDesc.size, length: off(oidDesc, 'length'), elements: off(oidDesc, 'elements') },
    oidSet: { size: oidSet.size, count: off(oidSet, 'count'), elements: off(oidSet, 'elements') },
    bufferSet: { size: bufferSet.size, count: off(bufferSet, 'count'), elements: off(bufferSet, 'elements') },
    channelBindings: {
      size: channelBindings.size,
      initiatorAddrtype: off(channelBindings, 'initiator_addrtype'),
      initiatorAddress: off(channelBindings, 'initiator_address'),
      acceptorAddrtype: off(channelBindings, 'acceptor_addrtype'),
      acceptorAddress: off(channelBindings, 'acceptor_address'),
      applicationData: off(channelBindings, 'application_data'),
    },
    keyValueElement: {
      size: keyValueElement.size,
      key: off(keyValueElement, 'key'),
      value: off(keyValueElement, 'value'),
    },
    keyValueSet: { size: keyValueSet.size, count: off(keyValueSet, 'count'), elements: off(keyValueSet, 'elements') },
    iov: { size: iov.size, type: off(iov, 'type'), buffer: off(iov, 'buffer') },
    krb5Creds: {
      size: krb5Creds.size,
      client: off(krb5Creds, 'client'),
      server: off(krb5Creds, 'server'),
      endtime: off(krb5Creds, 'times') + off(times, 'endtime'),
    },
  };
}
