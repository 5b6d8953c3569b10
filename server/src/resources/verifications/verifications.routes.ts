import { restVerification, restVerificationChange, restVerificationWrite } from '@tessera/shared';
import { crudEndpoints } from '../../api/crud.js';
import { endpoint, type Endpoint } from '../../api/endpoint.js';
import type { Listing } from '../../api/listing.js';
import { AppError } from '../../errors/app-error.js';
import type { VerificationsService } from './verifications.service.js';

/**
 * `annotations/verifications/`: list, retrieve, verify (POST; a second POST by the same user replaces
 * the verdict and answers 200), change (PUT, PATCH). There is no DELETE: the live document keeps one
 * verdict per annotation and user, so a verification is withdrawn by setting `verified: false`.
 */
export function verificationsEndpoints(verifications: VerificationsService, listing: Listing): Endpoint[] {
  return [
    endpoint({
      method: 'post',
      path: '/annotations/verifications/',
      policy: 'annotation.verify',
      tag: 'annotations',
      summary: 'Verifies an annotation as you (201), or replaces your verdict (200)',
      body: restVerificationWrite,
      response: restVerification,
      status: 201,
      async handler({ viewer, body, query }) {
        const { id, created } = await verifications.save(viewer, body);
        const object = await verifications.find(viewer, id);
        if (!object) throw AppError.notFound();
        return {
          status: created ? 201 : 200,
          body: await listing.shape(verifications.name, viewer, object, query),
        };
      },
    }),
    ...crudEndpoints({
      path: '/annotations/verifications/',
      policy: 'verification.see',
      tag: 'annotations',
      noun: 'verification',
      resource: verifications,
      listing,
      output: restVerification,
      update: {
        policy: 'verification.own',
        put: restVerificationChange,
        patch: restVerificationChange,
        run: (viewer, id, body) => verifications.change(viewer, id, body),
      },
    }),
  ];
}
